/**
 * A stream of sighting updates made by the real aggregator from process observations, and what the
 * graph must hold once every update is written: shared by the sighting, outage and crash tests.
 */
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import type { Driver } from 'neo4j-driver';
import type { SightingUpdate, StixObject } from '../../src/contracts.js';
import { SightingAggregator, sightingsConfigSchema } from '../../src/sightings/index.js';
import { deterministicId } from '../../src/stix/ids.js';
import { query } from '../integration/neo4j-env.js';
import { processObservation } from '../helpers/observation.js';

export interface SightingStream {
  readonly indicatorIds: readonly string[];
  /** Updates as the pipeline would hand them to outputs, one array per write. */
  readonly batches: readonly (readonly SightingUpdate[])[];
  /** The latest state of every sighting, by id. */
  readonly finalSightings: ReadonlyMap<string, StixObject>;
  /** Every observed-data, SCO and identity the updates carry, by id. */
  readonly objects: ReadonlyMap<string, StixObject>;
}

/**
 * `events` matches of `indicators` indicators over three pods on two nodes, one second apart, with a
 * window that makes several sightings per place; every event runs the shared `/bin/sh` file SCO.
 * Times and pids are random per call, so streams of different tests never share ids.
 */
export function sightingStream(options: {
  readonly events: number;
  readonly indicators?: number;
  readonly eventsPerWrite?: number;
}): SightingStream {
  const cluster = `test-${randomUUID().slice(0, 8)}`;
  const indicatorIds = Array.from({ length: options.indicators ?? 2 }, () => `indicator--${randomUUID()}`);
  const aggregator = new SightingAggregator(
    sightingsConfigSchema.parse({ aggregationWindowMs: 20_000, maxObservedDataRefs: 5 }),
    { clusterName: cluster, reportOnOpen: true },
  );
  const base = Date.UTC(2025, 0, 1) + randomInt(1, 2 ** 40) * 1000;
  const pidBase = randomInt(1, 2 ** 30);
  const shell: StixObject = {
    type: 'file',
    spec_version: '2.1',
    id: deterministicId('file', { name: `sh-${cluster}` }),
    name: 'sh',
  };
  const batches: SightingUpdate[][] = [];
  let pending: SightingUpdate[] = [];
  for (let i = 0; i < options.events; i += 1) {
    const time = base + i * 1000;
    const process: StixObject = {
      type: 'process',
      spec_version: '2.1',
      id: deterministicId('process', { pid: pidBase + i, time }),
      pid: pidBase + i,
      image_ref: shell.id,
    };
    const observation = processObservation({
      time,
      context: { node: `node-${i % 2}`, namespace: 'default', pod: `pod-${i % 3}` },
      roots: [process, shell],
    });
    const indicatorId = indicatorIds[i % indicatorIds.length] ?? '';
    const opened = aggregator.record({ indicatorId, observations: [observation], time }, { id: indicatorId });
    if (opened !== undefined) pending.push(opened);
    if ((i + 1) % (options.eventsPerWrite ?? 7) === 0) {
      pending.push(...aggregator.flush({ watermarkMs: time, includeOpen: true }));
      batches.push(pending);
      pending = [];
    }
  }
  pending.push(...aggregator.flush({ final: true }));
  if (pending.length > 0) batches.push(pending);
  return { indicatorIds, batches, ...expectedState(batches) };
}

function expectedState(batches: readonly (readonly SightingUpdate[])[]): {
  finalSightings: Map<string, StixObject>;
  objects: Map<string, StixObject>;
} {
  const finalSightings = new Map<string, StixObject>();
  const objects = new Map<string, StixObject>();
  for (const update of batches.flat()) {
    finalSightings.set(update.sighting.id, update.sighting);
    objects.set(update.whereSighted.id, update.whereSighted);
    for (const observation of update.newObservations) {
      objects.set(observation.observedData.id, observation.observedData);
      for (const [id, object] of observation.objects) objects.set(id, object);
    }
  }
  return { finalSightings, objects };
}

function refsOf(sighting: StixObject): string[] {
  return Array.isArray(sighting.observed_data_refs) ? sighting.observed_data_refs.map(String) : [];
}

/** Every id the stream writes: sightings, indicators (placeholders), observed-data, SCOs, identities. */
export function streamIds(stream: SightingStream): string[] {
  return [...stream.finalSightings.keys(), ...stream.indicatorIds, ...stream.objects.keys()];
}

/** Asserts that the graph holds exactly the stream's final state: every count, node and edge. */
export async function assertGraphHoldsStream(driver: Driver, stream: SightingStream): Promise<void> {
  const sightingIds = [...stream.finalSightings.keys()];
  const stored = await query(
    driver,
    'MATCH (s:StixObject:Sighting) WHERE s.id IN $ids RETURN s.id AS id, s.count AS count, ' +
      's.first_seen AS first_seen, s.last_seen AS last_seen, s.modified AS modified, s.stix_json AS json',
    { ids: sightingIds },
  );
  assert.equal(stored.length, sightingIds.length, 'one node per sighting');
  for (const row of stored) {
    const expected = stream.finalSightings.get(String(row.id));
    assert.ok(expected, String(row.id));
    for (const name of ['count', 'first_seen', 'last_seen', 'modified'] as const) {
      assert.equal(row[name], expected[name], `${String(row.id)} ${name}`);
    }
    assert.deepEqual(JSON.parse(String(row.json)), expected);
  }
  const nodes = await query(
    driver,
    'MATCH (n:StixObject) WHERE n.id IN $ids RETURN n.type AS type, count(*) AS nodes ORDER BY type',
    { ids: streamIds(stream) },
  );
  const expectedNodes = new Map<string, number>([
    ['indicator', stream.indicatorIds.length],
    ['sighting', sightingIds.length],
  ]);
  for (const object of stream.objects.values())
    expectedNodes.set(object.type, (expectedNodes.get(object.type) ?? 0) + 1);
  assert.deepEqual(
    Object.fromEntries(nodes.map((row) => [String(row.type), row.nodes])),
    Object.fromEntries([...expectedNodes].sort(([a], [b]) => a.localeCompare(b))),
  );
  await assertEdges(driver, stream);
}

async function assertEdges(driver: Driver, stream: SightingStream): Promise<void> {
  const sightings = [...stream.finalSightings.values()];
  const observedData = [...stream.objects.values()].filter((o) => o.type === 'observed-data');
  const processes = [...stream.objects.values()].filter((o) => o.type === 'process');
  const matched = new Set(
    sightings.flatMap((s) => refsOf(s).map((ref) => `${String(s.sighting_of_ref)} ${ref}`)),
  );
  const expected: Record<string, number> = {
    SIGHTING_OF: sightings.length,
    WHERE_SIGHTED: sightings.length,
    OBSERVED_DATA: sightings.reduce((sum, s) => sum + refsOf(s).length, 0),
    MATCHED: matched.size,
    OBJECT: observedData.reduce(
      (sum, o) => sum + refsOf({ ...o, observed_data_refs: o.object_refs }).length,
      0,
    ),
    IMAGE: processes.length,
  };
  const edges = await query(
    driver,
    'MATCH (a:StixObject)-[r]->(b:StixObject) WHERE a.id IN $ids RETURN type(r) AS type, count(*) AS edges ORDER BY type',
    { ids: streamIds(stream) },
  );
  assert.deepEqual(
    Object.fromEntries(edges.map((row) => [String(row.type), row.edges])),
    Object.fromEntries(Object.entries(expected).sort(([a], [b]) => a.localeCompare(b))),
  );
}
