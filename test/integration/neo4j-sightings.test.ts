import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { ensureSchema, sightingWriteOf, writeSightingBatch } from '../../src/neo4j/index.js';
import { neo4jOutput } from '../../src/outputs/neo4j.js';
import { assertGraphHoldsStream, sightingStream, streamIds } from '../neo4j/sighting-stream.js';
import { query, snapshot, testCredentials, testDriver } from './neo4j-env.js';

const credentials = testCredentials();
const driver = testDriver(credentials);
const dirs: string[] = [];
before(() => ensureSchema(driver, credentials));
after(async () => {
  await driver.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'matcher-neo4j-output-'));
  dirs.push(dir);
  return dir;
}

function output(dir: string) {
  return neo4jOutput(driver, { credentials, stateDir: dir, logger: pino({ level: 'silent' }), batchSize: 4 });
}

test('sightings are written with their observed-data, SCOs, identity and every edge', async () => {
  const stream = sightingStream({ events: 40 });
  assert.ok(stream.finalSightings.size > 4, 'the stream makes several sightings');
  assert.ok(
    [...stream.finalSightings.values()].some((s) => Number(s.count) > 1),
    'and aggregates',
  );
  const neo4j = await output(await stateDir());
  for (const batch of stream.batches) await neo4j.write(batch);
  await neo4j.close();
  await assertGraphHoldsStream(driver, stream);
  const counters = neo4j.counters();
  assert.equal(counters.written, stream.batches.flat().length);
  assert.deepEqual([counters.spilled, counters.failed, counters.spillDepth], [0, 0, 0]);
});

test('a later update changes the sighting in place: same node, new count and last_seen', async () => {
  const stream = sightingStream({ events: 24, indicators: 1, eventsPerWrite: 3 });
  const updates = stream.batches.flat();
  const first = updates[0];
  assert.ok(first !== undefined);
  const later = updates.filter((u) => u.sighting.id === first.sighting.id);
  assert.ok(later.length > 2, 'the sighting is updated several times');
  const neo4j = await output(await stateDir());
  await neo4j.write([first]);
  const [before] = await query(
    driver,
    'MATCH (s:StixObject {id: $id}) RETURN elementId(s) AS element, s.count AS count',
    {
      id: first.sighting.id,
    },
  );
  assert.equal(before?.count, first.sighting.count);
  for (const update of later.slice(1)) await neo4j.write([update]);
  await neo4j.close();
  const last = later[later.length - 1];
  const [after] = await query(
    driver,
    'MATCH (s:StixObject {id: $id}) RETURN elementId(s) AS element, s.count AS count, s.last_seen AS last_seen, s.first_seen AS first_seen',
    { id: first.sighting.id },
  );
  assert.equal(after?.element, before?.element);
  assert.equal(after?.count, last?.sighting.count);
  assert.equal(after?.last_seen, last?.sighting.last_seen);
  assert.equal(after?.first_seen, first.sighting.first_seen);
  assert.notEqual(after?.count, before?.count);
});

test('writing the same updates twice changes nothing, nor does an older update after a newer one', async () => {
  const stream = sightingStream({ events: 30 });
  const neo4j = await output(await stateDir());
  for (const batch of stream.batches) await neo4j.write(batch);
  const ids = streamIds(stream);
  const once = await snapshot(driver, ids);
  for (const batch of stream.batches) await neo4j.write(batch);
  await neo4j.close();
  assert.deepEqual(await snapshot(driver, ids), once);

  // Every update again, newest first, in one transaction: still nothing changes.
  const reversed = stream.batches.flat().reverse().map(sightingWriteOf);
  const result = await writeSightingBatch(driver, credentials, reversed);
  assert.equal(result.sightings, 0);
  assert.equal(result.stale, stream.finalSightings.size);
  assert.deepEqual(await snapshot(driver, ids), once);
  await assertGraphHoldsStream(driver, stream);
});

test('an update that can never be written is set aside, and the others of its batch are written', async () => {
  const stream = sightingStream({ events: 6, indicators: 1, eventsPerWrite: 6 });
  const [batch] = stream.batches;
  assert.ok(batch !== undefined && batch.length > 0);
  const good = batch[0];
  assert.ok(good !== undefined);
  // A type that cannot become a label: refused however often it is tried, so never spilled.
  const bad = {
    ...good,
    sighting: { ...good.sighting, id: `sighting--${randomUUID()}`, x_bad: 'x' },
    whereSighted: { ...good.whereSighted, id: 'identity--not-a-label-🙂', type: 'Bad Type' },
  };
  const dir = await stateDir();
  const neo4j = await output(dir);
  await neo4j.write([bad, good]);
  await neo4j.close();
  assert.equal(neo4j.counters().failed, 1);
  assert.equal(neo4j.counters().written, 1);
  const rows = await query(driver, 'MATCH (s:StixObject) WHERE s.id IN $ids RETURN s.id AS id', {
    ids: [good.sighting.id, bad.sighting.id],
  });
  assert.deepEqual(rows, [{ id: good.sighting.id }]);
  assert.ok((await readdir(dir)).some((name) => name.startsWith('neo4j-rejected-')));
});
