/** Starting the daemon in-process on temp files, and reading what it writes, for the daemon tests. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import { daemonFlagOptions, resolveDaemonConfig } from '../../src/config.js';
import { startDaemon, type Daemon, type DaemonContext } from '../../src/daemon/index.js';

export const root = join(import.meta.dirname, '..', '..');
export const recordingDir = join(root, 'test', 'fixtures', 'attacks', 'hostpath');
export const exampleModel = join(root, 'stix', 'examples', 'hostpath-attack-model.json');

export interface LogLine {
  readonly msg?: string;
  readonly code?: string;
  readonly kind?: string;
  readonly indicator_id?: string;
  readonly count?: number;
  readonly [field: string]: unknown;
}

export interface RunningDaemon {
  readonly daemon: Daemon;
  /** Every JSON line written so far. */
  lines(): LogLine[];
  /** Waits until `predicate` holds for the lines written so far; fails after `limitMs`. */
  until(predicate: (lines: LogLine[]) => boolean, what: string, limitMs?: number): Promise<LogLine[]>;
}

export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'matcher-daemon-'));
}

export async function startTestDaemon(
  args: readonly string[],
  env: Record<string, string> = {},
  context: Omit<DaemonContext, 'stdout'> = {},
): Promise<RunningDaemon> {
  const { values } = parseArgs({ args: [...args], options: daemonFlagOptions, strict: true });
  const config = resolveDaemonConfig(values, env);
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const daemon = await startDaemon(config, { ...context, stdout });
  const lines = (): LogLine[] =>
    text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as LogLine);
  const until = async (
    predicate: (lines: LogLine[]) => boolean,
    what: string,
    limitMs = 20_000,
  ): Promise<LogLine[]> => {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const current = lines();
      if (predicate(current)) return current;
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for ${what}. Output:\n${text.slice(-4000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return { daemon, lines, until };
}

export function sightingsOf(lines: readonly LogLine[], indicatorId: string): LogLine[] {
  return lines.filter((line) => line.kind === 'sighting' && line.indicator_id === indicatorId);
}

/** The recording's lines `from`..`to` (1-based, inclusive), each ending in a newline. */
export async function recordingLines(file: string, from: number, to: number): Promise<string> {
  const all = (await readFile(join(recordingDir, file), 'utf8')).split('\n').filter((line) => line !== '');
  return all
    .slice(from - 1, to)
    .map((line) => `${line}\n`)
    .join('');
}
