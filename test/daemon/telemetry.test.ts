import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { pino } from 'pino';
import type { Observation, StixObject } from '../../src/contracts.js';
import { DaemonMetrics } from '../../src/daemon/telemetry.js';
import {
  Engine,
  activateIndicator,
  engineConfigSchema,
  type ActiveIndicator,
} from '../../src/engine/index.js';
import { createLogger } from '../../src/log.js';
import { MetricsRegistry } from '../../src/server/index.js';
import { SightingAggregator, sightingsConfigSchema } from '../../src/sightings/index.js';
import { stixTimestamp } from '../../src/sightings/sighting.js';
import { deterministicId } from '../../src/stix/ids.js';
import { processObservation } from '../helpers/observation.js';
import { parseExposition, sampleValue } from '../server/exposition.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');
const SEQUENCE_ID = 'indicator--7a1e0c52-3f4b-4c1d-9e8f-0a1b2c3d4e5f';
const SINGLE_ID = 'indicator--7a1e0c52-3f4b-4c1d-9e8f-0a1b2c3d4e60';
let serial = 0;

/**
 * A process event observed over one second: not a single instant, so the correlator runs the general
 * binding search (where `maxBindingsPerMatch` cuts a match short) rather than the counting shortcut.
 */
function event(name: string, time: number): Observation {
  serial += 1;
  const process: StixObject = {
    type: 'process',
    id: deterministicId('process', { serial }),
    pid: serial,
    name,
  };
  const observation = processObservation({ time, pid: serial, roots: [process] });
  return {
    ...observation,
    observedData: { ...observation.observedData, last_observed: stixTimestamp(time + 1000) },
  };
}

function indicator(id: string, name: string, pattern: string): ActiveIndicator {
  const result = activateIndicator({
    id,
    name,
    pattern,
    pattern_type: 'stix',
    valid_from: '2020-01-01T00:00:00Z',
  });
  if ('reason' in result) throw new Error(result.message);
  return result;
}

function activeSet(): ActiveIndicator[] {
  return [
    indicator(
      SEQUENCE_ID,
      'a then b',
      "([process:name = 'a'] FOLLOWEDBY [process:name = 'b']) WITHIN 60 SECONDS",
    ),
    indicator(SINGLE_ID, 'c', "[process:name = 'c']"),
  ];
}

function logCapture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const logger = createLogger({ level: 'info', pretty: false, stream });
  const lines = (): Record<string, unknown>[] =>
    text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

test('engine counts reach /metrics, keep adding up across an indicator refresh, and evictions are logged per indicator', () => {
  let nowMs = 0;
  const metrics = new DaemonMetrics(new MetricsRegistry(), () => nowMs);
  const config = engineConfigSchema.parse({ maxPartialPerIndicator: 3, maxBindingsPerMatch: 1 });
  const first = new Engine(activeSet(), config);
  let inForce = first;
  const { logger, lines } = logCapture();
  const engine = metrics.trackEngine(() => inForce, logger, { evictionReportIntervalMs: 60_000 });
  const scrape = () => parseExposition(metrics.registry.render());
  const warnings = () => lines().filter((line) => line.code === 'ENGINE_PARTIAL_EVICTED');

  const before = scrape();
  assert.equal(sampleValue(before, 'matcher_engine_partial_evictions_total', { indicator: SEQUENCE_ID }), 0);
  assert.equal(
    sampleValue(before, 'matcher_engine_partial_evictions_total', { indicator: SINGLE_ID }),
    undefined,
    'a single-observation indicator keeps no partial matches',
  );
  assert.equal(sampleValue(before, 'matcher_engine_evaluations_total'), 0);

  // One batch per event, as the pipeline asks for the engine once per batch.
  for (let i = 0; i < 5; i += 1) engine().process(event('a', T0 + i * 1000));
  // Keeps a3, a4 and a5 (a1, a2 evicted); then b evicts a3 and completes a match cut at one binding (a4
  // and a5 each make one with it).
  assert.equal(engine().process(event('b', T0 + 10_000)).length, 1);
  assert.equal(engine().process(event('c', T0 + 11_000)).length, 1);
  const firstStats = first.stats();
  assert.deepEqual(
    [firstStats.evictions, firstStats.partial, firstStats.truncatedMatches, firstStats.evaluations],
    [3, 3, 1, 7],
  );
  const beforeSwap = scrape();
  assert.equal(
    sampleValue(beforeSwap, 'matcher_engine_partial_evictions_total', { indicator: SEQUENCE_ID }),
    3,
  );
  assert.equal(sampleValue(beforeSwap, 'matcher_engine_partial_matches'), 3);
  assert.equal(sampleValue(beforeSwap, 'matcher_engine_truncated_matches_total'), 1);
  assert.equal(sampleValue(beforeSwap, 'matcher_engine_evaluations_total'), 7);
  assert.equal(sampleValue(beforeSwap, 'matcher_engine_leaf_tests_total'), firstStats.leafTests);
  assert.deepEqual(
    warnings().map((line) => [line.indicator, line.name, line.evicted, line.total]),
    [[SEQUENCE_ID, 'a then b', 3, 3]],
  );

  // A refresh with the same patterns: the new engine takes over a4, a5 and b, and its own counts start at 0.
  inForce = first.withIndicators(activeSet());
  engine().process(event('a', T0 + 12_000));
  const second = inForce;
  assert.deepEqual([second.stats().evictions, second.stats().evaluations], [1, 1]);
  const afterSwap = scrape();
  assert.equal(
    sampleValue(afterSwap, 'matcher_engine_partial_evictions_total', { indicator: SEQUENCE_ID }),
    4,
    'the evictions of the engine replaced are kept',
  );
  assert.equal(sampleValue(afterSwap, 'matcher_engine_evaluations_total'), 8);
  assert.equal(
    sampleValue(afterSwap, 'matcher_engine_leaf_tests_total'),
    firstStats.leafTests + second.stats().leafTests,
  );
  assert.equal(sampleValue(afterSwap, 'matcher_engine_truncated_matches_total'), 1);
  assert.equal(sampleValue(afterSwap, 'matcher_engine_partial_matches'), 3);
  assert.equal(warnings().length, 1, 'not warned again within the interval');

  nowMs += 60_000;
  engine();
  scrape();
  assert.deepEqual(
    warnings().map((line) => [line.evicted, line.total]),
    [
      [3, 3],
      [1, 4],
    ],
    'after the interval, one warning with the evictions since the last one',
  );
  nowMs += 60_000;
  scrape();
  assert.equal(warnings().length, 2, 'no warning without new evictions');
});

test('a refresh between two batches loses no counts even when the engine is swapped twice', () => {
  const metrics = new DaemonMetrics(new MetricsRegistry());
  const config = engineConfigSchema.parse({ maxPartialPerIndicator: 2 });
  let inForce = new Engine(activeSet(), config);
  const engine = metrics.trackEngine(() => inForce, pino({ level: 'silent' }));
  for (let i = 0; i < 3; i += 1) engine().process(event('a', T0 + i * 1000));
  // Two swaps before the next batch: the middle engine was never used, so it has nothing to add.
  inForce = inForce.withIndicators(activeSet());
  inForce = inForce.withIndicators(activeSet());
  engine().process(event('a', T0 + 5000));
  const samples = parseExposition(metrics.registry.render());
  assert.equal(sampleValue(samples, 'matcher_engine_partial_evictions_total', { indicator: SEQUENCE_ID }), 2);
  assert.equal(sampleValue(samples, 'matcher_engine_evaluations_total'), 4);
});

test('the aggregator’s open and evicted sightings reach /metrics', () => {
  const metrics = new DaemonMetrics(new MetricsRegistry());
  const aggregator = metrics.watchAggregator(
    new SightingAggregator(sightingsConfigSchema.parse({ maxOpenSightings: 2 }), {
      clusterName: 'test',
      reportOnOpen: true,
    }),
  );
  // Three places: the third opens past maxOpenSightings and closes the oldest early.
  for (const pod of ['p1', 'p2', 'p3']) {
    const observation = { ...event('c', T0), context: { namespace: 'ns', pod } };
    aggregator.record({ indicatorId: SINGLE_ID, observations: [observation], time: T0 }, { id: SINGLE_ID });
  }
  const samples = parseExposition(metrics.registry.render());
  assert.equal(sampleValue(samples, 'matcher_sightings_open'), 2);
  assert.equal(sampleValue(samples, 'matcher_sightings_evicted_total'), 1);
});

test('lines dropped as replays and failed state saves reach /metrics', () => {
  const metrics = new DaemonMetrics(new MetricsRegistry());
  const telemetry = metrics.pipelineTelemetry();
  for (const offset of [10, 20, 30]) telemetry.replayed({ source: 'tail:/a', fingerprint: 'f', offset });
  telemetry.replayed({ source: 'tail:/b', fingerprint: 'g', offset: 10 });
  telemetry.stateSaveFailed();
  const samples = parseExposition(metrics.registry.render());
  assert.equal(sampleValue(samples, 'matcher_lines_replayed_total', { source: 'tail:/a' }), 3);
  assert.equal(sampleValue(samples, 'matcher_lines_replayed_total', { source: 'tail:/b' }), 1);
  assert.equal(sampleValue(samples, 'matcher_state_save_failures_total'), 1);
});

test('an indicator whose correlation searches take a share of the time is named in a warning, and its search time reaches /metrics', () => {
  let nowMs = 0;
  const metrics = new DaemonMetrics(new MetricsRegistry(), () => nowMs);
  const inForce = new Engine(activeSet(), engineConfigSchema.parse({}));
  const { logger, lines } = logCapture();
  // Any search time at all is a share of the time here, so the test does not depend on how fast it ran.
  const engine = metrics.trackEngine(() => inForce, logger, {
    slowSearchIntervalMs: 1_000,
    slowSearchShare: 1e-12,
  });
  const scrape = () => parseExposition(metrics.registry.render());
  const slow = () => lines().filter((line) => line.code === 'ENGINE_INDICATOR_SLOW');
  const searchSeconds = () =>
    sampleValue(scrape(), 'matcher_engine_search_seconds_total', { indicator: SEQUENCE_ID });

  engine();
  assert.equal(searchSeconds(), 0, 'a series from the start');
  // Events over an interval each: the correlator asks the oracle once a and b could complete the pattern.
  engine().process(event('a', T0));
  assert.equal(inForce.partialByIndicator()[0]?.searchMs, 0, 'nothing searched while no b is kept');
  engine().process(event('b', T0 + 2_000));
  const searched = inForce.partialByIndicator()[0]?.searchMs ?? 0;
  assert.ok(searched > 0, 'the search was timed');
  nowMs += 1_000;
  assert.ok((searchSeconds() ?? 0) > 0);
  assert.deepEqual(
    slow().map((line) => [line.indicator, line.name, line.overMs]),
    [[SEQUENCE_ID, 'a then b', 1_000]],
  );
  // A quiet interval: no search, no warning.
  nowMs += 1_000;
  scrape();
  assert.equal(slow().length, 1);
});
