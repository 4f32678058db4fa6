import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Neo4jError } from 'neo4j-driver';
import {
  isLaterSighting,
  isUnavailableError,
  sightingWriteOf,
  sightingWriteSchema,
  supersede,
} from '../../src/neo4j/sightings.js';
import { sightingStream } from './sighting-stream.js';

test('a later modified wins; with the same modified, the higher count', () => {
  const at = (modified: string, count: number) => ({ modified, count });
  assert.equal(isLaterSighting(at('2025-01-01T00:00:01Z', 1), undefined), true);
  assert.equal(isLaterSighting(at('2025-01-01T00:00:01Z', 1), at('2025-01-01T00:00:00.5Z', 9)), true);
  assert.equal(isLaterSighting(at('2025-01-01T00:00:00.5Z', 9), at('2025-01-01T00:00:01Z', 1)), false);
  assert.equal(isLaterSighting(at('2025-01-01T00:00:01.000Z', 3), at('2025-01-01T00:00:01Z', 2)), true);
  assert.equal(isLaterSighting(at('2025-01-01T00:00:01Z', 2), at('2025-01-01T00:00:01Z', 2)), false);
  assert.equal(isLaterSighting(at('2025-01-01T00:00:01Z', 1), at('2025-01-01T00:00:01Z', 2)), false);
});

test('supersede keeps the latest state of each sighting and every observed object of all its updates', () => {
  const stream = sightingStream({ events: 30, indicators: 1 });
  const writes = stream.batches.flat().map(sightingWriteOf);
  // Any order: the result is the same, as the spill file may be replayed after newer writes.
  for (const order of [writes, [...writes].reverse()]) {
    const merged = supersede(order);
    assert.equal(merged.length, stream.finalSightings.size);
    for (const write of merged) {
      assert.deepEqual(write.sighting, stream.finalSightings.get(write.sighting.id));
      const expected = order
        .filter((w) => w.sighting.id === write.sighting.id)
        .flatMap((w) => w.observed.map((o) => o.id));
      assert.deepEqual(new Set(write.observed.map((o) => o.id)), new Set(expected));
    }
  }
});

test('a write carries each observed object once, and round-trips through its schema', () => {
  const stream = sightingStream({ events: 10, indicators: 1, eventsPerWrite: 10 });
  for (const update of stream.batches.flat()) {
    const write = sightingWriteOf(update);
    const ids = write.observed.map((o) => o.id);
    assert.equal(new Set(ids).size, ids.length);
    const expected = new Set(update.newObservations.flatMap((o) => [o.observedData.id, ...o.objects.keys()]));
    assert.deepEqual(new Set(ids), expected);
    assert.deepEqual(sightingWriteSchema.parse(JSON.parse(JSON.stringify(write))), write);
  }
  assert.equal(sightingWriteSchema.safeParse({ sighting: { type: 'sighting', id: 'x' } }).success, false);
});

test('unavailable: connection and transient errors; not: errors in the data', () => {
  assert.equal(isUnavailableError(new Neo4jError('down', 'ServiceUnavailable', 'x', 'y')), true);
  assert.equal(
    isUnavailableError(new Neo4jError('t', 'Neo.TransientError.General.DatabaseUnavailable', 'x', 'y')),
    true,
  );
  assert.equal(
    isUnavailableError(new Neo4jError('auth', 'Neo.ClientError.Security.Unauthorized', 'x', 'y')),
    true,
  );
  assert.equal(
    isUnavailableError(new Neo4jError('bad', 'Neo.ClientError.Statement.TypeError', 'x', 'y')),
    false,
  );
  assert.equal(isUnavailableError(new TypeError('bug')), false);
});
