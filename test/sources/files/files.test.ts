import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { buildFilesSource, STDIN_NAME } from '../../../src/sources/files/index.js';
import { SourceConfigError } from '../../../src/sources/context.js';
import { memoryLogger, nextBatch, numberedLines, readAll, tempDir } from '../helpers.js';

test('reads files in order with line numbers and offsets, then ends', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const first = join(dir, 'a.log');
  const second = join(dir, 'b.log');
  await writeFile(first, 'one\ntwo\n');
  await writeFile(second, 'three\r\nfour');
  const source = buildFilesSource({ id: 'scan', paths: [first, second] }, memoryLogger());
  const lines = await readAll(source);
  assert.deepEqual(
    lines.map((l) => [l.text, l.origin.file, l.origin.line, l.origin.offset]),
    [
      ['one', first, 1, 4],
      ['two', first, 2, 8],
      ['three', second, 1, 7],
      ['four', second, 2, 11],
    ],
  );
  assert.ok(lines.every((l) => l.origin.source === 'scan'));
  assert.deepEqual(source.counters(), {
    linesRead: 4,
    bytesRead: 19,
    dropped: { 'line-too-long': 0, unreadable: 0 },
  });
});

test('a missing file is reported and counted, and the other files are still read', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const missing = join(dir, 'missing.log');
  const present = join(dir, 'present.log');
  await writeFile(present, 'kept\n');
  const { logger, events } = memoryLogger();
  const source = buildFilesSource({ paths: [missing, present] }, { logger });
  const lines = await readAll(source);
  assert.deepEqual(
    lines.map((l) => l.text),
    ['kept'],
  );
  assert.equal(source.counters().dropped.unreadable, 1);
  assert.equal(source.failures()[0]?.file, missing);
  assert.match(source.failures()[0]?.error ?? '', /ENOENT/);
  const unreadable = events().find((e) => e.code === 'FILES_UNREADABLE');
  assert.equal(unreadable?.file, missing);
  assert.equal(unreadable.reason, 'unreadable');
});

test('gzip files are decompressed, whatever their name', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const expected = numberedLines('event', 0, 5000);
  const archived = join(dir, 'tetragon.log.1.gz');
  const unnamed = join(dir, 'archive');
  await writeFile(archived, gzipSync(expected.join('\n') + '\n'));
  await writeFile(unnamed, gzipSync('plain\n'));
  const lines = await readAll(buildFilesSource({ paths: [archived, unnamed] }, memoryLogger()));
  assert.deepEqual(
    lines.map((l) => l.text),
    [...expected, 'plain'],
  );
  assert.equal(lines[4999]?.origin.line, 5000);
});

test('a corrupt gzip file is reported after the lines that could be read', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const whole = gzipSync(numberedLines('event', 0, 20000).join('\n') + '\n');
  const broken = join(dir, 'broken.gz');
  await writeFile(broken, Buffer.concat([whole.subarray(0, whole.length / 2), Buffer.alloc(64, 7)]));
  const after = join(dir, 'after.log');
  await writeFile(after, 'after\n');
  const source = buildFilesSource({ paths: [broken, after] }, memoryLogger());
  const lines = await readAll(source);
  assert.equal(lines.at(-1)?.text, 'after');
  assert.equal(source.counters().dropped.unreadable, 1);
  assert.equal(source.failures()[0]?.file, broken);
});

test('long lines are dropped, counted and logged with file and line number', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'long.log');
  await writeFile(path, `before\n${'z'.repeat(5000)}\nafter\n`);
  const { logger, events } = memoryLogger();
  const source = buildFilesSource({ paths: [path], maxLineBytes: 1000, readChunkBytes: 512 }, { logger });
  const lines = await readAll(source);
  assert.deepEqual(
    lines.map((l) => [l.text, l.origin.line]),
    [
      ['before', 1],
      ['after', 3],
    ],
  );
  assert.equal(source.counters().dropped['line-too-long'], 1);
  const dropped = events().find((e) => e.code === 'SOURCE_LINE_TOO_LONG');
  assert.deepEqual([dropped?.file, dropped?.line, dropped?.bytes], [path, 2, 5001]);
});

test('batches stay within maxBatchLines and maxBatchBytes', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'many.log');
  const expected = numberedLines('n', 0, 1000);
  await writeFile(path, expected.join('\n') + '\n');
  const source = buildFilesSource({ paths: [path], maxBatchLines: 7, maxBatchBytes: 60 }, memoryLogger());
  const seen: string[] = [];
  for await (const batch of source.batches()) {
    assert.ok(batch.length >= 1 && batch.length <= 7);
    assert.ok(batch.length === 1 || batch.reduce((n, l) => n + l.text.length + 1, 0) <= 60);
    seen.push(...batch.map((l) => l.text));
  }
  assert.deepEqual(seen, expected);
});

test('"-" reads standard input, gzip included', async () => {
  const stdin = Readable.from([gzipSync('from\nstdin\n')]);
  const lines = await readAll(buildFilesSource({ paths: ['-'] }, { ...memoryLogger(), stdin }));
  assert.deepEqual(
    lines.map((l) => [l.text, l.origin.file, l.origin.line]),
    [
      ['from', STDIN_NAME, 1],
      ['stdin', STDIN_NAME, 2],
    ],
  );
});

test('build rejects a bad config, naming the setting', () => {
  assert.throws(() => buildFilesSource({ paths: [] }, memoryLogger()), SourceConfigError);
  assert.throws(() => buildFilesSource({ paths: ['a'], maxLineBytes: -1 }, memoryLogger()), /maxLineBytes/);
  assert.throws(() => buildFilesSource({ paths: ['a'], colour: 'red' }, memoryLogger()), /colour/);
  assert.throws(() => buildFilesSource({ paths: ['-'] }, memoryLogger()), /standard input/);
  const stdin = Readable.from([]);
  assert.throws(() => buildFilesSource({ paths: ['-', '-'] }, { ...memoryLogger(), stdin }), /only once/);
});

test('nothing is read ahead of the consumer: one pulled batch reads about one chunk', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'big.log');
  await writeFile(path, numberedLines('event', 0, 200_000).join('\n') + '\n');
  const source = buildFilesSource({ paths: [path], readChunkBytes: 16 * 1024 }, memoryLogger());
  const batches = source.batches()[Symbol.asyncIterator]();
  await nextBatch(batches);
  await nextBatch(batches);
  // The file is about 3 MB; a reader that ran ahead would have read far more than a few chunks.
  assert.ok(source.counters().bytesRead < 256 * 1024, `read ${source.counters().bytesRead} bytes`);
  await source.stop();
});

test('UTF-8 characters cut by read chunk boundaries are decoded intact', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'utf8.log');
  const expected = Array.from({ length: 200 }, (_, i) => `{"pod":"größe-🚀-${i}","note":"日本語"}`);
  await writeFile(path, expected.join('\n') + '\n');
  // A prime chunk size lands the cuts everywhere inside the multi-byte characters.
  const lines = await readAll(buildFilesSource({ paths: [path], readChunkBytes: 7 }, memoryLogger()));
  assert.deepEqual(
    lines.map((l) => l.text),
    expected,
  );
});

test('binary garbage does not stop the read: it comes out as lines, the next lines intact', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'garbage.log');
  await writeFile(
    path,
    Buffer.concat([Buffer.from('before\n'), Buffer.from([0, 0xff, 0xfe, 0x80, 7]), Buffer.from('\nafter\n')]),
  );
  const lines = await readAll(buildFilesSource({ paths: [path] }, memoryLogger()));
  assert.deepEqual(
    lines.map((l) => [l.text, l.origin.line]),
    [
      ['before', 1],
      ['\u0000\ufffd\ufffd\ufffd\u0007', 2],
      ['after', 3],
    ],
  );
});
