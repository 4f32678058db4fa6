import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { buildStdinSource } from '../../src/sources/stdin.js';
import { memoryLogger, nextBatch } from './helpers.js';

test('yields lines as they arrive, the last one once stdin ends', async () => {
  const stdin = new PassThrough();
  const source = buildStdinSource({}, { ...memoryLogger(), stdin });
  const batches = source.batches()[Symbol.asyncIterator]();
  stdin.write('first\nsec');
  const first = await nextBatch(batches);
  assert.deepEqual(
    first.map((l) => [l.text, l.origin.source, l.origin.line]),
    [['first', 'stdin', 1]],
  );
  stdin.end('ond');
  const second = await nextBatch(batches);
  assert.deepEqual(
    second.map((l) => l.text),
    ['second'],
  );
  assert.equal((await batches.next()).done, true);
  assert.equal(source.counters().linesRead, 2);
});

test('stop ends the batches while stdin is still open', async () => {
  const stdin = new PassThrough();
  const source = buildStdinSource({ id: 'in' }, { ...memoryLogger(), stdin });
  const batches = source.batches()[Symbol.asyncIterator]();
  const pending = batches.next();
  await source.stop();
  assert.equal((await pending).done, true);
});

test('needs a standard input', () => {
  assert.throws(() => buildStdinSource({}, memoryLogger()), /no standard input/);
});
