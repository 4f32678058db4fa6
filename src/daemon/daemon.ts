/**
 * `matcher run` wired: settings → sources, observer, live indicators, engine, aggregator, outputs →
 * the pipeline, until stopped; then the shutdown sequence. The CLI turns signals into `stop()`.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { engineConfigOf, type DaemonConfig } from '../config.js';
import { createLogger } from '../log.js';
import { createObserver } from '../observe/index.js';
import type { Output } from '../outputs/output.js';
import { stdoutOutput } from '../outputs/stdout.js';
import { runPipeline } from '../pipeline.js';
import { MetricsRegistry, startStatusServer, type StatusServer } from '../server/index.js';
import { SightingAggregator, sightingsConfigSchema } from '../sightings/index.js';
import type { Source } from '../sources/index.js';
import { PipelineStateStore, pipelineStatePath } from '../state/index.js';
import { buildBackends, type Backends } from './backends.js';
import { LiveIndicators } from './indicators.js';
import { runShutdown, type ShutdownStep } from './shutdown.js';
import { buildDaemonSources, type DaemonSourceContext } from './sources.js';
import { DaemonMetrics } from './telemetry.js';

export interface DaemonContext extends Omit<DaemonSourceContext, 'logger'> {
  /** Where sightings and operational logs go (the process's stdout). */
  readonly stdout: NodeJS.WritableStream;
}

/** Why the daemon cannot start; `exitCode` 2 for a setting that cannot work, 1 for anything else. */
export class DaemonStartError extends Error {
  override readonly name = 'DaemonStartError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

export interface Daemon {
  readonly logger: Logger;
  readonly metrics: DaemonMetrics;
  /** The status server's address, when HTTP is on. */
  readonly httpAddress: AddressInfo | undefined;
  /** Starts the shutdown sequence (once); resolves with the exit code. */
  stop(reason: string): Promise<number>;
  /** Resolves with the exit code once the daemon has shut down, whether stopped or failed. */
  readonly done: Promise<number>;
}

interface StartedParts {
  readonly sources: Source[];
  readonly outputs: Output[];
  readonly state: PipelineStateStore;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Builds everything, loads the indicators and starts reading; throws `DaemonStartError` when it cannot. */
export async function startDaemon(config: DaemonConfig, ctx: DaemonContext): Promise<Daemon> {
  const logger = createLogger({ level: config.logLevel, pretty: config.pretty, stream: ctx.stdout });
  const log = logger.child({ component: 'daemon' });
  const metrics = new DaemonMetrics(new MetricsRegistry());
  const backends = await buildBackends(config, logger);
  const provider = backends.provider;
  const engineConfig = engineConfigOf(config);
  const indicators = new LiveIndicators(
    provider,
    engineConfig,
    logger.child({ component: 'indicators' }),
    metrics,
  );
  let sourcesStarted = false;
  const server = config.http
    ? await startStatusServer({
        host: config.httpHost,
        port: config.httpPort,
        metrics: metrics.registry,
        logger: log,
        notReady: () => [
          ...(indicators.loaded ? [] : ['indicators not loaded']),
          ...(sourcesStarted ? [] : ['sources not started']),
        ],
      }).catch((error: unknown) => {
        throw new DaemonStartError(`--http-port ${config.httpPort}: cannot listen: ${describe(error)}`, 2);
      })
    : undefined;
  const startup = async (): Promise<StartedParts> => {
    // Checked before anything waits: a state file that cannot be used is a setting to fix (exit 2).
    const statePath = pipelineStatePath(config.stateDir);
    const state = await PipelineStateStore.load(statePath).catch((error: unknown) => {
      throw new DaemonStartError(describe(error), 2);
    });
    await firstLoad(indicators, backends, config.indicatorRefreshIntervalMs, provider.name);
    const sources = await buildDaemonSources(config, { ...ctx, logger }).catch((error: unknown) => {
      throw new DaemonStartError(describe(error), 2);
    });
    const outputs = [stdoutOutput(logger), ...backends.outputs].map((o) => metrics.instrumentOutput(o));
    return { sources, outputs: [metrics.sightingCounter(), ...outputs], state };
  };
  let parts: StartedParts;
  try {
    parts = await startup();
  } catch (error) {
    await server?.close();
    await Promise.all(backends.outputs.map((output) => output.close()));
    await provider.close();
    await backends.close();
    throw error;
  }
  metrics.watchSources(parts.sources);
  const run = runPipeline({
    sources: parts.sources,
    observer: createObserver(),
    engine: metrics.trackEngine(() => indicators.engine(), logger.child({ component: 'engine' })),
    indicatorInfo: (id) => indicators.info(id),
    aggregator: metrics.watchAggregator(
      new SightingAggregator(
        sightingsConfigSchema.parse({ aggregationWindowMs: config.aggregationWindowMs }),
        { clusterName: config.clusterName, reportOnOpen: true },
      ),
    ),
    outputs: parts.outputs,
    logger: logger.child({ component: 'pipeline' }),
    flushIntervalMs: config.flushIntervalMs,
    latenessMs: engineConfig.outOfOrderToleranceMs,
    telemetry: metrics.pipelineTelemetry(),
    state: parts.state,
  });
  sourcesStarted = true;
  const refreshLoop = startRefreshLoop(indicators, backends, config.indicatorRefreshIntervalMs);
  log.info(
    {
      code: 'DAEMON_STARTED',
      sources: parts.sources.map((source) => source.id),
      indicators: provider.name,
      active: indicators.engine().indicators.length,
      outputs: parts.outputs.map((output) => output.name).filter((name) => name !== 'metrics'),
      http: server === undefined ? false : `${server.address.address}:${server.address.port}`,
    },
    'Matcher running.',
  );
  return assemble({ config, logger, log, metrics, server, backends, parts, run, refreshLoop });
}

/** Loads the indicators once before reading starts: a file that cannot be read is fatal, a database is waited for. */
async function firstLoad(
  indicators: LiveIndicators,
  backends: Backends,
  intervalMs: number,
  name: string,
): Promise<void> {
  for (;;) {
    const result = await indicators.refresh();
    if (result !== 'failed') {
      await backends.rejected(indicators.rejections());
      return;
    }
    if (!backends.retryFirstLoad) {
      throw new DaemonStartError(`Cannot read the indicators (${name}); see the log above.`, 1);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

interface RefreshLoop {
  stop(): Promise<void>;
}

/** Reloads the indicators every interval; one load at a time, the next interval counted from its end. */
function startRefreshLoop(indicators: LiveIndicators, backends: Backends, intervalMs: number): RefreshLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const schedule = (): void => {
    timer = setTimeout(() => {
      running = (async () => {
        if ((await indicators.refresh()) === 'changed') await backends.rejected(indicators.rejections());
      })().finally(() => {
        if (!stopped) schedule();
      });
    }, intervalMs);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

interface Assembly {
  readonly config: DaemonConfig;
  readonly logger: Logger;
  readonly log: Logger;
  readonly metrics: DaemonMetrics;
  readonly server: StatusServer | undefined;
  readonly backends: Backends;
  readonly parts: { readonly sources: readonly Source[]; readonly outputs: readonly Output[] };
  readonly run: Promise<unknown>;
  readonly refreshLoop: RefreshLoop;
}

/** The running daemon: its shutdown sequence, started by `stop()` or by the pipeline failing. */
function assemble(a: Assembly): Daemon {
  let stopping: Promise<number> | undefined;
  let failed = false;
  const stopSources = (): Promise<void> =>
    Promise.all(a.parts.sources.map((source) => source.stop())).then(() => undefined);
  const steps: ShutdownStep[] = [
    { name: 'stop reading', run: stopSources },
    {
      name: 'finish in-flight events and flush sightings',
      // A pipeline failure is logged where it happens; here only its end matters.
      run: () =>
        a.run.then(
          () => undefined,
          () => undefined,
        ),
    },
    { name: 'save checkpoints', run: stopSources },
    {
      name: 'stop indicator refresh',
      run: () => a.refreshLoop.stop().then(() => a.backends.provider.close()),
    },
    {
      name: 'close outputs',
      run: () => Promise.all(a.parts.outputs.map((output) => output.close())).then(() => undefined),
    },
    { name: 'close the Neo4j connection', run: () => a.backends.close() },
    { name: 'close HTTP server', run: () => a.server?.close() ?? Promise.resolve() },
  ];
  const stop = (reason: string): Promise<number> => {
    stopping ??= (async () => {
      a.log.info({ code: 'DAEMON_STOPPING', reason }, 'Stopping: finishing in-flight events.');
      const deadline = Date.now() + a.config.shutdownGraceMs;
      const clean = await runShutdown(steps, deadline, a.log);
      const code = clean && !failed ? 0 : 1;
      a.log.info({ code: 'DAEMON_STOPPED', exitCode: code }, 'Stopped.');
      a.logger.flush();
      return code;
    })();
    return stopping;
  };
  const done = a.run.then(
    () => stop('all sources ended'),
    (error: unknown) => {
      failed = true;
      a.log.fatal({ code: 'PIPELINE_FAILED', error: describe(error) }, 'The pipeline failed; shutting down.');
      return stop('pipeline failed');
    },
  );
  return { logger: a.logger, metrics: a.metrics, httpAddress: a.server?.address, stop, done };
}
