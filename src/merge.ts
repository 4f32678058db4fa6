import type { RawLine } from './contracts.js';
import type { Source } from './sources/source.js';

export interface SourceBatch {
  readonly source: Source;
  readonly lines: readonly RawLine[];
}

/**
 * The batches of several sources as one stream, in the order they arrive. A source is asked for its next
 * batch only after its previous one has been consumed, so a slow consumer slows every source down.
 */
export async function* mergeSources(sources: readonly Source[]): AsyncGenerator<SourceBatch> {
  const iterators = sources.map((source) => ({ source, iterator: source.batches()[Symbol.asyncIterator]() }));
  type Pending = Promise<{ index: number; result: IteratorResult<readonly RawLine[]> }>;
  const pending = new Map<number, Pending>();
  const pull = (index: number): void => {
    const entry = iterators[index];
    if (entry === undefined) return;
    pending.set(
      index,
      entry.iterator.next().then((result) => ({ index, result })),
    );
  };
  iterators.forEach((_, index) => {
    pull(index);
  });
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      pending.delete(index);
      if (result.done === true) continue;
      const source = iterators[index]?.source;
      if (source !== undefined) yield { source, lines: result.value };
      pull(index);
    }
  } finally {
    // Not awaited: a generator with a pending `next` runs `return` only after it, which may never settle.
    for (const { iterator } of iterators) iterator.return?.().catch(() => undefined);
  }
}
