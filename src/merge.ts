import type { RawLine } from './contracts.js';
import type { Source } from './sources/source.js';

export interface SourceBatch {
  readonly source: Source;
  readonly lines: readonly RawLine[];
}

/** One source's read that completed: its next batch (or its end), or the error it failed with. */
type Settled =
  | { readonly index: number; readonly result: IteratorResult<readonly RawLine[]> }
  | { readonly index: number; readonly error: unknown };

/**
 * The batches of several sources as one stream, in the order they arrive. A source is asked for its next
 * batch only after its previous one has been consumed, so a slow consumer slows every source down.
 *
 * Reads that complete are queued as they settle. Not `Promise.race` over the pending reads: every race
 * leaves a reaction on the reads that lose it, each holding the race's result, so a quiet source (an
 * idle webhook, a file nobody writes) kept every batch of the busy ones in memory until it read again.
 */
export async function* mergeSources(sources: readonly Source[]): AsyncGenerator<SourceBatch> {
  const iterators = sources.map((source) => ({ source, iterator: source.batches()[Symbol.asyncIterator]() }));
  const settled: Settled[] = [];
  let wake: (() => void) | undefined;
  let reading = 0;
  const arrived = (entry: Settled): void => {
    settled.push(entry);
    wake?.();
  };
  const pull = (index: number): void => {
    const entry = iterators[index];
    if (entry === undefined) return;
    reading += 1;
    // Handled at once: a source failing while the consumer is busy is no unhandled rejection.
    entry.iterator.next().then(
      (result) => {
        arrived({ index, result });
      },
      (error: unknown) => {
        arrived({ index, error });
      },
    );
  };
  iterators.forEach((_, index) => {
    pull(index);
  });
  try {
    while (reading > 0) {
      let next = settled.shift();
      while (next === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        next = settled.shift();
      }
      reading -= 1;
      if ('error' in next) throw next.error;
      if (next.result.done === true) continue;
      const source = iterators[next.index]?.source;
      if (source !== undefined) yield { source, lines: next.result.value };
      pull(next.index);
    }
  } finally {
    // Not awaited: a generator with a pending `next` runs `return` only after it, which may never settle.
    for (const { iterator } of iterators) iterator.return?.().catch(() => undefined);
  }
}
