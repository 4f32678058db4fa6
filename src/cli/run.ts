import { ConfigError, daemonFlagOptions, daemonOptionsUsage, resolveDaemonConfig } from '../config.js';
import { DaemonStartError, startDaemon, type Daemon } from '../daemon/index.js';
import { parseCommandArgs } from './args.js';
import { UsageError, type CliIO, type Command } from './command.js';

const usage = `Usage: matcher run [options]

Runs the matcher as a daemon: reads events from the configured sources (tailed files, Kubernetes pod
logs, the Kubernetes audit webhook, stdin), evaluates the indicators (Neo4j when NEO4J_URI is set, else
bundle files, reloaded every interval) and writes every sighting as one JSON line on stdout, as it
happens, until SIGTERM or SIGINT. Flags override the environment variables in brackets.
Exit code 0 after a clean shutdown; 1 when something failed or shutdown overran its grace period;
2 for a setting that cannot work.

Options:
${daemonOptionsUsage()}

Neo4j (environment only): NEO4J_URI, and NEO4J_USERNAME + NEO4J_PASSWORD or NEO4J_AUTH=user/password.`;

/** Turns SIGTERM/SIGINT into a graceful stop; a second signal, or the grace period running out, exits at once. */
function handleSignals(daemon: Daemon, graceMs: number): () => void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      daemon.logger.warn({ code: 'SIGNAL_AGAIN', signal }, 'Second signal: exiting without finishing.');
      process.exit(1);
    }
    signalled = true;
    setTimeout(() => {
      daemon.logger.error({ code: 'SHUTDOWN_OVERRAN', graceMs }, 'Shutdown overran its grace period.');
      process.exit(1);
    }, graceMs).unref();
    void daemon.stop(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, daemonFlagOptions);
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument '${positionals.join(' ')}': files to follow go after --tail.`);
  }
  let daemon: Daemon;
  try {
    const config = resolveDaemonConfig(values, io.env);
    daemon = await startDaemon(config, {
      stdout: io.stdout,
      stdin: io.stdin as AsyncIterable<Uint8Array>,
    });
    const release = handleSignals(daemon, config.shutdownGraceMs);
    const code = await daemon.done;
    release();
    // Whatever handle might still hold the event loop (a stdin read), the daemon is done.
    setTimeout(() => process.exit(code), 200).unref();
    return code;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DaemonStartError) {
      io.stderr.write(`matcher run: ${error.message.replace(/\n/g, '\nmatcher run: ')}\n`);
      return error instanceof DaemonStartError ? error.exitCode : 2;
    }
    throw error;
  }
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run the matcher as a daemon: follow the sources, write sightings as they happen.',
  usage,
  run,
};
