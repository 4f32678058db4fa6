import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTask } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { untilAborted } from '../../src/sources/abort.js';

setFlagsFromString('--expose-gc');
/** A full garbage collection, to see which values are still reachable. */
const collectGarbage = runInNewContext('gc') as () => void;

async function* chunks(count: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i += 1) {
    await Promise.resolve();
    yield new Uint8Array(1024);
  }
}

/** An iterator whose reads never complete, like a stream with nothing more to read. */
function forever(): AsyncIterable<string> {
  return {
    [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<string>>(() => undefined) }),
  };
}

test('values read are not kept once consumed, while the signal lives on', async () => {
  const controller = new AbortController();
  const read: WeakRef<Uint8Array>[] = [];
  for await (const chunk of untilAborted(chunks(200), controller.signal)) read.push(new WeakRef(chunk));
  assert.equal(read.length, 200);
  // WeakRefs hold their target until the current job ends.
  await nextTask();
  collectGarbage();
  // The last one may still be referenced by the finished iteration; none before it may be.
  const kept = read.filter((ref) => ref.deref() !== undefined).length;
  assert.ok(kept <= 1, `${kept} of 200 values read are still in memory`);
  assert.equal(controller.signal.aborted, false);
});

test('abort ends the iteration while a read is pending', async () => {
  const controller = new AbortController();
  const iterator = untilAborted(forever(), controller.signal)[Symbol.asyncIterator]();
  const next = iterator.next();
  controller.abort();
  assert.deepEqual(await next, { done: true, value: undefined });
});

test('abort between two reads ends the iteration at the next one', async () => {
  const controller = new AbortController();
  async function* oneThenForever(): AsyncGenerator<string> {
    yield 'first';
    yield* forever();
  }
  const seen: string[] = [];
  for await (const value of untilAborted(oneThenForever(), controller.signal)) {
    seen.push(value);
    controller.abort();
  }
  assert.deepEqual(seen, ['first']);
});

test('a failed read ends the iteration with its error', async () => {
  const failure = new Error('disk gone');
  async function* failing(): AsyncGenerator<string> {
    yield 'first';
    await Promise.resolve();
    throw failure;
  }
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const value of untilAborted(failing(), new AbortController().signal)) seen.push(value);
  }, failure);
  assert.deepEqual(seen, ['first']);
});
