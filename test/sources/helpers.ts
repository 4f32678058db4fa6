import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { RawLine } from '../../src/contracts.js';
import type { Source } from '../../src/sources/source.js';

/** A logger whose JSON lines are kept in memory, parsed. */
export function memoryLogger(): { logger: Logger; events: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  return { logger, events: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** A fresh temporary directory, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'matcher-sources-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Every line a source yields until its batches end. */
export async function readAll(source: Source): Promise<RawLine[]> {
  const lines: RawLine[] = [];
  for await (const batch of source.batches()) lines.push(...batch);
  return lines;
}

/** Numbered JSON-ish lines, distinct from each other. */
export function numberedLines(prefix: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `{"${prefix}":${from + i}}`);
}

/** The next batch of a source, failing if the source ends or nothing comes within `timeoutMs` (a hang guard). */
export async function nextBatch(
  batches: AsyncIterator<readonly RawLine[]>,
  timeoutMs = 10_000,
): Promise<readonly RawLine[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`No batch within ${timeoutMs} ms.`));
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([batches.next(), timeout]);
    if (result.done === true) throw new Error('The source ended.');
    return result.value;
  } finally {
    clearTimeout(timer);
  }
}
