import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawLine } from '../../../src/contracts.js';
import { buildTailSource, type TailSource } from '../../../src/sources/tail/index.js';
import { memoryLogger, nextBatch, numberedLines, readUntilSentinel, takeLines, tempDir } from '../helpers.js';

const asText = (lines: readonly string[]): string => lines.map((line) => `${line}\n`).join('');
const texts = (lines: readonly RawLine[]): string[] => lines.map((line) => line.text);

/** Rotates like Tetragon: path.4 → path.5 … path → path.1, keeping `backups` files. */
async function rotate(path: string, backups = 5): Promise<void> {
  for (let n = backups - 1; n >= 1; n--) {
    const exists = await stat(`${path}.${n}`).then(
      () => true,
      () => false,
    );
    if (exists) await rename(`${path}.${n}`, `${path}.${n + 1}`);
  }
  await rename(path, `${path}.1`);
}

async function setUp(t: { after: (fn: () => Promise<void>) => void }) {
  const { dir, cleanup } = await tempDir();
  const path = join(dir, 'tetragon.log');
  const checkpointFile = join(dir, 'tail.json');
  const built: TailSource[] = [];
  t.after(async () => {
    for (const source of built) await source.stop();
    await cleanup();
  });
  const build = async (): Promise<TailSource> => {
    const source = await buildTailSource(
      {
        path,
        checkpointFile,
        startAt: 'beginning',
        pollIntervalMs: 5,
        watchFiles: false,
        readChunkBytes: 512,
      },
      memoryLogger(),
    );
    built.push(source);
    return source;
  };
  return { path, build };
}

test('a reader two rotations behind reads the file it skipped, in order', async (t) => {
  const { path, build } = await setUp(t);
  const [first, second, third] = [
    numberedLines('a', 0, 60),
    numberedLines('b', 0, 60),
    numberedLines('c', 0, 10),
  ];
  await writeFile(path, asText(first.slice(0, 30)));
  const source = await build();
  const batches = source.batches()[Symbol.asyncIterator]();
  const seen = await takeLines(batches, 5);
  // The consumer is slow: meanwhile the writer finishes its file and rotates twice.
  await appendFile(path, asText(first.slice(30)));
  await rotate(path);
  await writeFile(path, asText(second));
  await rotate(path);
  await writeFile(path, asText(third));
  seen.push(...(await readUntilSentinel(path, batches)));
  assert.deepEqual(texts(seen), [...first, ...second, ...third]);
  assert.equal(seen[first.length]?.origin.file, `${path}.1`);
});

test('after rotations while stopped, a restart finishes every rotated file from the checkpoint', async (t) => {
  const { path, build } = await setUp(t);
  const [first, second, third] = [
    numberedLines('a', 0, 40),
    numberedLines('b', 0, 40),
    numberedLines('c', 0, 5),
  ];
  await writeFile(path, asText(first.slice(0, 20)));
  const before = await build();
  const read = await takeLines(before.batches()[Symbol.asyncIterator](), 20);
  const committed = read[14];
  assert.ok(committed !== undefined);
  before.commit(committed.origin);
  await before.stop();

  await appendFile(path, asText(first.slice(20)));
  await rotate(path);
  await writeFile(path, asText(second));
  await rotate(path);
  await writeFile(path, asText(third));
  const after = await build();
  const lines = await readUntilSentinel(path, after.batches()[Symbol.asyncIterator]());
  assert.deepEqual(texts(lines), [...first.slice(15), ...second, ...third]);
  assert.equal(lines[0]?.origin.line, 16);
  assert.equal(lines[0].origin.file, `${path}.2`);
});

test('a writer rotating often while the reader follows: every line exactly once, in order', async (t) => {
  const { path, build } = await setUp(t);
  const total = 3000;
  const linesPerFile = 170;
  const expected = numberedLines('event', 0, total);
  const firstLines = 17;
  await writeFile(path, asText(expected.slice(0, firstLines)));
  const source = await build();
  const batches = source.batches()[Symbol.asyncIterator]();
  // The reader must know the first file before it is rotated away (no checkpoint can tell about it otherwise).
  const seen: RawLine[] = [...(await takeLines(batches, firstLines))];
  const reader = (async () => {
    while (seen.length < total) seen.push(...(await nextBatch(batches)));
  })();
  for (let written = firstLines; written < total;) {
    const count = Math.min(17, total - written);
    await appendFile(path, asText(expected.slice(written, written + count)));
    written += count;
    if (written % linesPerFile === 0) {
      // Never more than two rotations ahead of the reader: five backups are kept.
      while (written - seen.length > 2 * linesPerFile) await new Promise((resolve) => setImmediate(resolve));
      await rotate(path);
      await writeFile(path, '');
    }
  }
  await reader;
  assert.deepEqual(texts(seen), expected);
});

test('rotated files left at restart are read even before a new file appears', async (t) => {
  const { path, build } = await setUp(t);
  const old = numberedLines('old', 0, 12);
  await writeFile(path, asText(old.slice(0, 6)));
  const before = await build();
  const read = await takeLines(before.batches()[Symbol.asyncIterator](), 6);
  const last = read.at(-1);
  assert.ok(last !== undefined);
  before.commit(last.origin);
  await before.stop();

  const second = numberedLines('second', 0, 8);
  await appendFile(path, asText(old.slice(6)));
  await rotate(path);
  await writeFile(path, asText(second));
  await rotate(path);
  const after = await build();
  const batches = after.batches()[Symbol.asyncIterator]();
  assert.deepEqual(texts(await takeLines(batches, 14)), [...old.slice(6), ...second]);
  await writeFile(path, asText(['fresh']));
  assert.deepEqual(texts(await readUntilSentinel(path, batches)), ['fresh']);
});
