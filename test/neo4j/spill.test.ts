import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { SpillLog, decodeRecord, decodeSegment, encodeRecord } from '../../src/neo4j/spill.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'matcher-spill-test-'));
  dirs.push(dir);
  return dir;
}

async function readAll(log: SpillLog): Promise<unknown[]> {
  const records: unknown[] = [];
  for (const segment of log.sealedSegments()) records.push(...(await log.read(segment)).records);
  return records;
}

test('a record reads back as written, whatever the JSON', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const line = encodeRecord(value);
      assert.ok(line.endsWith('\n'));
      assert.equal(line.indexOf('\n'), line.length - 1, 'one line per record');
      const decoded = decodeRecord(line.slice(0, -1));
      assert.deepEqual(decoded?.value, JSON.parse(JSON.stringify(value)));
    }),
  );
});

test('every cut of a record short of its end is rejected, never misread', () => {
  const line = encodeRecord({ sighting: { id: 'sighting--1', count: 12 }, note: 'ünïcode ✓' }).slice(0, -1);
  for (let cut = 0; cut < line.length; cut += 1) {
    assert.equal(decodeRecord(line.slice(0, cut)), undefined, `cut at ${cut}`);
  }
});

test('a changed byte is detected by the checksum', () => {
  const line = encodeRecord({ count: 12 }).slice(0, -1);
  assert.equal(decodeRecord(line.replace('12', '13')), undefined);
});

test('a torn last line is reported and ignored; a damaged middle line is counted and skipped', () => {
  const text =
    encodeRecord(1) + encodeRecord(2).replace('2\n', '3\n') + encodeRecord(4) + encodeRecord(5).slice(0, 7);
  const read = decodeSegment(text);
  assert.deepEqual(read.records, [1, 4]);
  assert.equal(read.torn, true);
  assert.equal(read.damaged, 1);
  assert.deepEqual(decodeSegment(encodeRecord(1)), { records: [1], torn: false, damaged: 0 });
});

test('appends are durable in order, and a reopened log seals what it finds, oldest first', async () => {
  const dir = await freshDir();
  const log = await SpillLog.open(dir);
  assert.equal(log.isEmpty(), true);
  await Promise.all([log.append([{ n: 1 }, { n: 2 }]), log.append([{ n: 3 }])]);
  await log.seal();
  await log.append([{ n: 4 }]);
  assert.equal(log.depth, 4);
  await log.close();

  const reopened = await SpillLog.open(dir);
  assert.equal(reopened.depth, 4);
  assert.deepEqual(await readAll(reopened), [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
  // New records go to a new segment after the old ones, never into them.
  await reopened.append([{ n: 5 }]);
  await reopened.seal();
  const segments = reopened.sealedSegments();
  assert.equal(segments.length, 3);
  const [oldest] = segments;
  assert.ok(oldest !== undefined);
  assert.deepEqual(await readAll(reopened), [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);
  await reopened.remove(oldest);
  // The first segment held the two appends made before the first seal.
  assert.deepEqual(await readAll(reopened), [{ n: 4 }, { n: 5 }]);
  assert.equal(reopened.depth, 2);
  await reopened.close();
});

test('after a crash mid-append the torn record is dropped and the later appends still read', async () => {
  const dir = await freshDir();
  const log = await SpillLog.open(dir);
  await log.append([{ n: 1 }, { n: 2 }]);
  await log.close();
  const [name] = await readdir(dir);
  assert.ok(name !== undefined);
  const path = join(dir, name);
  // What a crash half-way through writing a third record leaves.
  await appendFile(path, encodeRecord({ n: 3 }).slice(0, 10));

  const reopened = await SpillLog.open(dir);
  assert.equal(reopened.depth, 2);
  await reopened.append([{ n: 4 }]);
  await reopened.seal();
  const [first, second] = reopened.sealedSegments();
  assert.ok(first !== undefined && second !== undefined);
  assert.deepEqual(await reopened.read(first), { records: [{ n: 1 }, { n: 2 }], torn: true, damaged: 0 });
  assert.deepEqual((await reopened.read(second)).records, [{ n: 4 }]);
  await reopened.close();
});

test('a segment cut at any byte yields a prefix of its records', async () => {
  const dir = await freshDir();
  const values = [{ a: 'x' }, { b: [1, 2, 3] }, { c: 'longer value ✓' }];
  const text = values.map(encodeRecord).join('');
  const path = join(dir, 'neo4j-spill-000001.jsonl');
  for (let cut = 0; cut <= Buffer.byteLength(text); cut += 1) {
    await writeFile(path, text);
    await truncate(path, cut);
    const read = decodeSegment(await readFile(path, 'utf8'));
    assert.deepEqual(read.records, values.slice(0, read.records.length), `cut at ${cut}`);
    assert.equal(read.damaged, 0, `cut at ${cut}`);
  }
});

test('setAside keeps a segment for people, out of the drain', async () => {
  const dir = await freshDir();
  const log = await SpillLog.open(dir);
  await log.append([{ n: 1 }]);
  await log.seal();
  const [segment] = log.sealedSegments();
  assert.ok(segment !== undefined);
  const kept = await log.setAside(segment);
  assert.equal(log.isEmpty(), true);
  assert.deepEqual(decodeSegment(await readFile(kept, 'utf8')).records, [{ n: 1 }]);
  assert.equal((await SpillLog.open(dir)).isEmpty(), true);
});
