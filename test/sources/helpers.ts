import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { RawLine } from '../../src/contracts.js';
import type { Source } from '../../src/sources/source.js';

/** A logger whose JSON lines are kept in memory, parsed; `waitFor` resolves when an event with a code is logged. */
export function memoryLogger(): {
  logger: Logger;
  events: () => Record<string, unknown>[];
  waitFor: (code: string) => Promise<void>;
} {
  const events: Record<string, unknown>[] = [];
  const waiters: { code: string; resolve: () => void }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const event = JSON.parse(line) as Record<string, unknown>;
        events.push(event);
        for (const waiter of waiters.filter((w) => w.code === event.code)) waiter.resolve();
      }
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const waitFor = (code: string): Promise<void> =>
    events.some((e) => e.code === code)
      ? Promise.resolve()
      : new Promise((resolve) => {
          waiters.push({ code, resolve });
        });
  return { logger, events: () => [...events], waitFor };
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

/** Timers that fire only when told to, for tests of periodic work. */
export class ManualTimers {
  private nextId = 1;
  private readonly pending = new Map<number, () => void>();

  setTimeout(callback: () => void, _delayMs: number): number {
    const id = this.nextId++;
    this.pending.set(id, callback);
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Fires every timer set so far; returns how many fired. */
  fireAll(): number {
    const callbacks = [...this.pending.values()];
    this.pending.clear();
    for (const callback of callbacks) callback();
    return callbacks.length;
  }
}

/** Pulls batches until `count` lines have come (more may come in the last batch). */
export async function takeLines(
  batches: AsyncIterator<readonly RawLine[]>,
  count: number,
): Promise<RawLine[]> {
  const lines: RawLine[] = [];
  while (lines.length < count) lines.push(...(await nextBatch(batches)));
  return lines;
}

/** Appends a sentinel and reads up to it: every line before it proves nothing else was pending. */
export async function readUntilSentinel(
  path: string,
  batches: AsyncIterator<readonly RawLine[]>,
): Promise<RawLine[]> {
  const sentinel = '{"sentinel":true}';
  await appendFile(path, `${sentinel}\n`);
  const lines: RawLine[] = [];
  while (lines.at(-1)?.text !== sentinel) lines.push(...(await nextBatch(batches)));
  return lines.slice(0, -1);
}
