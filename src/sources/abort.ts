/**
 * Ends the iteration of `source` as soon as `signal` aborts, even while a read is pending.
 * A stream behind `source` should also be destroyed on abort, to release it.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  if (signal.aborted) return;
  const iterator = source[Symbol.asyncIterator]();
  const aborted = new Promise<IteratorResult<T>>((resolve) => {
    signal.addEventListener(
      'abort',
      () => {
        resolve({ done: true, value: undefined });
      },
      { once: true },
    );
  });
  try {
    for (;;) {
      const pending = iterator.next();
      // A read still pending at abort may fail when its stream is closed; nobody is waiting for it then.
      pending.catch(() => undefined);
      const next = await Promise.race([pending, aborted]);
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    // Not awaited: an async generator runs `return` only after its pending `next`, which may never settle.
    iterator.return?.().catch(() => undefined);
  }
}
