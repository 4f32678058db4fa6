/**
 * Ends the iteration of `source` as soon as `signal` aborts, even while a read is pending.
 * A stream behind `source` should also be destroyed on abort, to release it.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  if (signal.aborted) return;
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await nextUnlessAborted(iterator, signal);
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    // Not awaited: an async generator runs `return` only after its pending `next`, which may never settle.
    iterator.return?.().catch(() => undefined);
  }
}

/**
 * The iterator's next result, or done when `signal` aborts first. The abort promise is made per read and
 * dropped after it: one abort promise raced for the whole iteration keeps a reaction per race, each
 * holding that race's result (a chunk read), so every chunk ever read stayed in memory until the abort.
 */
async function nextUnlessAborted<T>(
  iterator: AsyncIterator<T>,
  signal: AbortSignal,
): Promise<IteratorResult<T>> {
  if (signal.aborted) return { done: true, value: undefined };
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<IteratorResult<T>>((resolve) => {
    onAbort = () => {
      resolve({ done: true, value: undefined });
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const pending = iterator.next();
  // A read still pending at abort may fail when its stream is closed; nobody is waiting for it then.
  pending.catch(() => undefined);
  try {
    return await Promise.race([pending, aborted]);
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}
