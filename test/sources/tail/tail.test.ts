import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, open, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawLine } from '../../../src/contracts.js';
import { SourceConfigError } from '../../../src/sources/context.js';
import { buildTailSource, TailSource, type TailSourceConfigInput } from '../../../src/sources/tail/index.js';
import type { Timers } from '../../../src/sources/timers.js';
import {
  ManualTimers,
  memoryLogger,
  numberedLines,
  readUntilSentinel,
  takeLines,
  tempDir,
} from '../helpers.js';

const asText = (lines: readonly string[]): string => lines.map((line) => `${line}\n`).join('');
const texts = (lines: readonly RawLine[]): string[] => lines.map((line) => line.text);

/** A temp dir with a log path and a checkpoint path; every source built is stopped before the dir is removed. */
async function setUp(t: { after: (fn: () => Promise<void>) => void }) {
  const { dir, cleanup } = await tempDir();
  const path = join(dir, 'tetragon.log');
  const checkpointFile = join(dir, 'state', 'tail.json');
  const { logger, events, waitFor } = memoryLogger();
  const built: TailSource[] = [];
  t.after(async () => {
    for (const source of built) await source.stop();
    await cleanup();
  });
  const build = async (
    overrides: Partial<TailSourceConfigInput> = {},
    timers?: Timers,
  ): Promise<TailSource> => {
    const source = await buildTailSource(
      {
        id: 'tail',
        path,
        checkpointFile,
        startAt: 'beginning',
        pollIntervalMs: 5,
        watchFiles: false,
        ...overrides,
      },
      { logger, timers },
    );
    built.push(source);
    return source;
  };
  return { dir, path, checkpointFile, build, events, waitFor };
}

test('starts at the beginning, then follows appended lines with line numbers and offsets', async (t) => {
  const { path, build } = await setUp(t);
  await writeFile(path, asText(['a', 'b']));
  const source = await build();
  const batches = source.batches()[Symbol.asyncIterator]();
  const first = await takeLines(batches, 2);
  assert.deepEqual(
    first.map((l) => [l.text, l.origin.line, l.origin.offset]),
    [
      ['a', 1, 2],
      ['b', 2, 4],
    ],
  );
  assert.ok(first.every((l) => l.origin.file === path && typeof l.origin.fingerprint === 'string'));
  await appendFile(path, asText(['c']));
  const next = await takeLines(batches, 1);
  assert.deepEqual(
    next.map((l) => [l.text, l.origin.line, l.origin.offset]),
    [['c', 3, 6]],
  );
});

test('starts at the end: only lines written afterwards, numbered after the existing ones', async (t) => {
  const { path, build, waitFor } = await setUp(t);
  await writeFile(path, asText(numberedLines('old', 0, 50)) + '{"in":"prog');
  const source = await build({ startAt: 'end' });
  const batches = source.batches()[Symbol.asyncIterator]();
  // The end is where the file stands when the source opens it, on the first pull.
  const pending = batches.next();
  await waitFor('TAIL_OPENED');
  await appendFile(path, 'ress"}\n');
  const first = await pending;
  assert.equal(first.done, false);
  const lines = [...first.value, ...(await readUntilSentinel(path, batches))];
  // The line being written at start-up is read whole, not cut.
  assert.deepEqual(
    lines.map((l) => [l.text, l.origin.line]),
    [['{"in":"progress"}', 51]],
  );
});

test('waits for a file that does not exist yet, and reads it from its beginning', async (t) => {
  const { path, build, waitFor } = await setUp(t);
  const source = await build({ startAt: 'end' });
  const batches = source.batches()[Symbol.asyncIterator]();
  const pending = takeLines(batches, 3);
  await waitFor('TAIL_WAITING');
  await writeFile(path, asText(['x', 'y', 'z']));
  assert.deepEqual(texts(await pending), ['x', 'y', 'z']);
});

test('a partial last line is held until its newline arrives', async (t) => {
  const { path, build } = await setUp(t);
  await writeFile(path, 'whole\npart');
  const source = await build();
  const batches = source.batches()[Symbol.asyncIterator]();
  assert.deepEqual(texts(await takeLines(batches, 1)), ['whole']);
  await appendFile(path, 'ial\r\n');
  assert.deepEqual(texts(await readUntilSentinel(path, batches)), ['partial']);
});

test('rotation by rename mid-stream: the old file is finished, the new one read from its start', async (t) => {
  const { path, build } = await setUp(t);
  const before = numberedLines('before', 0, 200);
  const late = numberedLines('late', 0, 20);
  const after = numberedLines('after', 0, 100);
  const writer = await open(path, 'a');
  await writer.write(asText(before));
  const source = await build({ readChunkBytes: 256 });
  const batches = source.batches()[Symbol.asyncIterator]();
  const seen = await takeLines(batches, 10);
  // The writer renames its file, still writes a few lines through its open handle, then starts a new file.
  await rename(path, `${path}.1`);
  await writer.write(asText(late));
  await writer.close();
  await writeFile(path, asText(after));
  seen.push(...(await readUntilSentinel(path, batches)));
  assert.deepEqual(texts(seen), [...before, ...late, ...after]);
  const firstNew = seen[before.length + late.length];
  assert.equal(firstNew?.origin.line, 1);
  assert.notEqual(firstNew.origin.fingerprint, seen[0]?.origin.fingerprint);
});

test('truncation (copytruncate): reads the file again from its start', async (t) => {
  const { path, build, events } = await setUp(t);
  await writeFile(path, asText(numberedLines('first', 0, 30)));
  const source = await build();
  const batches = source.batches()[Symbol.asyncIterator]();
  await takeLines(batches, 30);
  await truncate(path, 0);
  await appendFile(path, asText(['n1', 'n2']));
  const lines = await readUntilSentinel(path, batches);
  assert.deepEqual(
    lines.map((l) => [l.text, l.origin.line, l.origin.offset]),
    [
      ['n1', 1, 3],
      ['n2', 2, 6],
    ],
  );
  assert.ok(events().some((e) => e.code === 'TAIL_TRUNCATED'));
});

test('restart resumes just after the last committed line: uncommitted lines are read again', async (t) => {
  const { path, checkpointFile, build } = await setUp(t);
  const lines = numberedLines('line', 0, 10);
  await writeFile(path, asText(lines));
  const first = await build();
  const batches = first.batches()[Symbol.asyncIterator]();
  const read = await takeLines(batches, 10);
  const sixth = read[5];
  assert.ok(sixth !== undefined);
  first.commit(sixth.origin);
  await first.stop();

  // A later start with startAt: 'end' still resumes from the checkpoint.
  const second = await build({ startAt: 'end' });
  const again = await readUntilSentinel(path, second.batches()[Symbol.asyncIterator]());
  assert.deepEqual(texts(again), lines.slice(6));
  assert.equal(again[0]?.origin.line, 7);
  const saved = JSON.parse(await readFile(checkpointFile, 'utf8')) as {
    version: number;
    positions: { offset: number; line: number }[];
  };
  assert.equal(saved.version, 1);
  assert.deepEqual(
    saved.positions.map((p) => [p.offset, p.line]),
    [[sixth.origin.offset, 6]],
  );
});

test('a file rotated while stopped is finished from its checkpoint before the new one', async (t) => {
  const { path, build } = await setUp(t);
  const old = numberedLines('old', 0, 10);
  await writeFile(path, asText(old.slice(0, 8)));
  const first = await build();
  const read = await takeLines(first.batches()[Symbol.asyncIterator](), 8);
  const last = read.at(-1);
  assert.ok(last !== undefined);
  first.commit(last.origin);
  await first.stop();

  await appendFile(path, asText(old.slice(8)));
  await rename(path, `${path}.1`);
  await writeFile(path, asText(['new']));
  const second = await build();
  const lines = await readUntilSentinel(path, second.batches()[Symbol.asyncIterator]());
  assert.deepEqual(texts(lines), [...old.slice(8), 'new']);
  assert.equal(lines[0]?.origin.file, `${path}.1`);
});

test('long lines are dropped and counted, the following lines kept', async (t) => {
  const { path, build } = await setUp(t);
  await writeFile(path, asText(['ok', 'x'.repeat(3000), 'fine']));
  const source = await build({ maxLineBytes: 1000, readChunkBytes: 128 });
  const lines = await readUntilSentinel(path, source.batches()[Symbol.asyncIterator]());
  assert.deepEqual(
    lines.map((l) => [l.text, l.origin.line]),
    [
      ['ok', 1],
      ['fine', 3],
    ],
  );
  assert.equal(source.counters().dropped['line-too-long'], 1);
});

test('file system events wake the source without waiting for a poll', async (t) => {
  const { path, build } = await setUp(t);
  await writeFile(path, asText(['one']));
  // A poll interval far longer than the hang guard: only fs.watch can deliver the second line in time.
  const source = await build({ watchFiles: true, pollIntervalMs: 600_000 });
  const batches = source.batches()[Symbol.asyncIterator]();
  assert.deepEqual(texts(await takeLines(batches, 1)), ['one']);
  // The pause lets the source reach the end of the file and wait (else the test would prove nothing).
  const second = takeLines(batches, 1);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await appendFile(path, asText(['two']));
  assert.deepEqual(texts(await second), ['two']);
});

test('stop ends the batches while waiting for data', async (t) => {
  const { path, build } = await setUp(t);
  await writeFile(path, asText(['only']));
  const source = await build();
  const batches = source.batches()[Symbol.asyncIterator]();
  await takeLines(batches, 1);
  const pending = batches.next();
  await source.stop();
  assert.equal((await pending).done, true);
});

test('build rejects a broken checkpoint, a directory as path, and unknown options', async (t) => {
  const { dir, checkpointFile, build } = await setUp(t);
  await mkdir(join(dir, 'state'), { recursive: true });
  await writeFile(checkpointFile, '{"version": 99, "source": "tail", "positions": []}');
  await assert.rejects(build(), SourceConfigError);
  await assert.rejects(build({ path: dir }), /is a directory/);
  await assert.rejects(build({ pollIntervalMs: 0 }), /pollIntervalMs/);
});

test('a new file whose first line equals the rotated one is still read from its start', async (t) => {
  const { path, build } = await setUp(t);
  await writeFile(path, asText(['{"boot":1}', 'old']));
  const source = await build();
  const batches = source.batches()[Symbol.asyncIterator]();
  const old = await takeLines(batches, 2);
  const last = old.at(-1);
  assert.ok(last !== undefined);
  source.commit(last.origin);
  await rename(path, `${path}.1`);
  await writeFile(path, asText(['{"boot":1}', 'new']));
  assert.deepEqual(texts(await readUntilSentinel(path, batches)), ['{"boot":1}', 'new']);
});

test('committed positions are saved at each checkpoint interval, before any stop', async (t) => {
  const { path, checkpointFile, build } = await setUp(t);
  await writeFile(path, asText(['a', 'b', 'c']));
  const timers = new ManualTimers();
  const source = await build({ pollIntervalMs: 1000 }, timers);
  const lines = await takeLines(source.batches()[Symbol.asyncIterator](), 3);
  const second = lines[1];
  assert.ok(second !== undefined);
  source.commit(second.origin);
  await assert.rejects(readFile(checkpointFile, 'utf8'), /ENOENT/);
  timers.fireAll();
  const saved = await eventually(async () => JSON.parse(await readFile(checkpointFile, 'utf8')) as unknown);
  assert.deepEqual((saved as { positions: { offset: number }[] }).positions[0]?.offset, second.origin.offset);
});

/** Retries `attempt` until it succeeds (the save runs in the background), failing after a hang guard. */
async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

test('a file rewritten in place past the old position is noticed by its new first line', async (t) => {
  const { path, build } = await setUp(t);
  await writeFile(path, asText(['{"old":1}', '{"old":2}']));
  const source = await build();
  const batches = source.batches()[Symbol.asyncIterator]();
  await takeLines(batches, 2);
  // Same inode, and longer than before: only the fingerprint tells that this is new content.
  const rewritten = numberedLines('new', 0, 10);
  await writeFile(path, asText(rewritten));
  assert.deepEqual(texts(await readUntilSentinel(path, batches)), rewritten);
});

test('a path that cannot be read is reported and counted once, and reading resumes when it can', async (t) => {
  const { path, build, events, waitFor } = await setUp(t);
  const source = await build();
  // Made a directory after build, which would have refused it.
  await mkdir(path);
  const batches = source.batches()[Symbol.asyncIterator]();
  const pending = takeLines(batches, 1);
  await waitFor('TAIL_UNREADABLE');
  await rm(path, { recursive: true });
  await writeFile(path, asText(['readable']));
  assert.deepEqual(texts(await pending), ['readable']);
  assert.equal(source.counters().dropped.unreadable, 1);
  assert.equal(events().filter((e) => e.code === 'TAIL_UNREADABLE').length, 1);
});

test('file system events are watched once a directory that did not exist appears', async (t) => {
  const { dir, build, waitFor } = await setUp(t);
  const path = join(dir, 'later', 'tetragon.log');
  const timers = new ManualTimers();
  const source = await build({ path, watchFiles: true }, timers);
  const batches = source.batches()[Symbol.asyncIterator]();
  const first = takeLines(batches, 1);
  await waitFor('TAIL_WAITING');
  await mkdir(join(dir, 'later'));
  await writeFile(path, asText(['one']));
  timers.fireAll();
  assert.deepEqual(texts(await first), ['one']);
  // No timer fires from here on: only a file system event can bring the next line. The pause lets the
  // source reach the end of the file and wait; were it still reading, the test would pass without proof.
  const second = takeLines(batches, 1);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await appendFile(path, asText(['two']));
  assert.deepEqual(texts(await second), ['two']);
});
