import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawLine } from '../../src/contracts.js';
import { LineQueue } from '../../src/sources/line-queue.js';

function lines(...texts: string[]): RawLine[] {
  return texts.map((text, index) => ({ text, origin: { source: 'test', line: index + 1 } }));
}

/** Whether `promise` has settled once every pending callback has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

test('batches hand out lines in order, at most maxBatchLines at a time, and end after close', async () => {
  const queue = new LineQueue(100, 2);
  queue.push(lines('a', 'b', 'c'));
  queue.close();
  queue.push(lines('ignored after close'));
  const batches: string[][] = [];
  for await (const batch of queue.batches()) batches.push(batch.map((line) => line.text));
  assert.deepEqual(batches, [['a', 'b'], ['c']]);
});

test('a waiting consumer wakes when lines arrive', async () => {
  const queue = new LineQueue(10, 10);
  const iterator = queue.batches()[Symbol.asyncIterator]();
  const next = iterator.next();
  assert.equal(await settled(next), false);
  queue.push(lines('late'));
  const result = await next;
  assert.equal(result.done, false);
  assert.deepEqual(
    result.value.map((line: RawLine) => line.text),
    ['late'],
  );
});

test('whenWritable holds producers while the queue is full and releases them once it is read', async () => {
  const queue = new LineQueue(2, 10);
  queue.push(lines('1', '2'));
  const writable = queue.whenWritable();
  assert.equal(await settled(writable), false);
  const iterator = queue.batches()[Symbol.asyncIterator]();
  await iterator.next();
  assert.equal(await settled(writable), true);
});

test('offer takes all of a batch or none of it; an empty queue takes any batch', () => {
  const queue = new LineQueue(3, 10);
  assert.equal(queue.offer(lines('1', '2')), true);
  assert.equal(queue.offer(lines('3', '4')), false);
  assert.equal(queue.size, 2);
  assert.equal(queue.offer(lines('3')), true);
  const empty = new LineQueue(1, 10);
  assert.equal(empty.offer(lines('1', '2', '3')), true);
  assert.equal(empty.size, 3);
});

test('close releases waiting producers and refuses offers', async () => {
  const queue = new LineQueue(1, 10);
  queue.push(lines('1'));
  const writable = queue.whenWritable();
  queue.close();
  assert.equal(await settled(writable), true);
  assert.equal(queue.offer(lines('2')), false);
});
