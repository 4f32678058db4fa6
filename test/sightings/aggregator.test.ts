import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SightingAggregator } from '../../src/sightings/aggregator.js';
import { sightingsConfigSchema } from '../../src/sightings/config.js';
import { processObservation } from '../helpers/observation.js';

const indicator = { id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', name: 'Shell in bait pod' };
const podA = { node: 'worker-1', namespace: 'bait', pod: 'ssh-0' };
const podB = { node: 'worker-2', namespace: 'bait', pod: 'ssh-1' };
const T0 = Date.parse('2026-11-28T10:00:00Z');

function aggregator(overrides: Record<string, number> = {}, reportOnOpen = true): SightingAggregator {
  const config = sightingsConfigSchema.parse({ aggregationWindowMs: 60_000, ...overrides });
  return new SightingAggregator(config, { clusterName: 'honeycluster', reportOnOpen });
}

function match(time: number, context = podA, pid = 1) {
  const observation = processObservation({ time, context, pid, commandLine: `/bin/sh -c id #${pid}` });
  return { indicatorId: indicator.id, observations: [observation], time };
}

test('repeated matches at one place within the window update one sighting', () => {
  const agg = aggregator();
  const opened = agg.record(match(T0, podA, 1), indicator);
  assert.equal(opened?.isNew, true);
  assert.equal(opened.sighting.count, 1);
  assert.equal(agg.record(match(T0 + 10_000, podA, 2), indicator), undefined);
  assert.equal(agg.record(match(T0 + 20_000, podA, 3), indicator), undefined);
  const [update, ...rest] = agg.flush({ final: true });
  assert.equal(rest.length, 0);
  assert.ok(update);
  assert.equal(update.sighting.id, opened.sighting.id);
  assert.equal(update.sighting.count, 3);
  assert.equal(update.sighting.first_seen, '2026-11-28T10:00:00.000Z');
  assert.equal(update.sighting.last_seen, '2026-11-28T10:00:20.000Z');
  assert.equal((update.sighting.observed_data_refs as string[]).length, 3);
  assert.equal(update.newObservations.length, 2, 'the first observation was already emitted when it opened');
  assert.equal(update.isNew, false);
  assert.match(update.summary, /pod bait\/ssh-0.*node worker-1: \/bin\/sh -c id #3 \(pid 3\)/);
});

test('without reportOnOpen each sighting is reported once, when it closes', () => {
  const agg = aggregator({}, false);
  assert.equal(agg.record(match(T0, podA), indicator), undefined);
  assert.deepEqual(agg.flush({ watermarkMs: T0 + 59_999 }), []);
  const [closed, ...rest] = agg.flush({ watermarkMs: T0 + 60_000 });
  assert.equal(rest.length, 0);
  assert.equal(closed?.isNew, true);
  assert.equal(closed.newObservations.length, 1);
  assert.deepEqual(agg.flush({ final: true }), []);
});

test('different places and expired windows make different sightings', () => {
  const agg = aggregator({}, false);
  agg.record(match(T0, podA), indicator);
  agg.record(match(T0 + 1_000, podB), indicator);
  agg.record(match(T0 + 61_000, podA), indicator);
  const updates = agg.flush({ final: true });
  assert.equal(updates.length, 3);
  assert.equal(new Set(updates.map((u) => u.sighting.id)).size, 3);
  assert.deepEqual(
    updates.map((u) => u.sighting.count),
    [1, 1, 1],
  );
});

test('sighting ids are deterministic across runs', () => {
  const run = () => {
    const agg = aggregator({}, false);
    agg.record(match(T0, podA), indicator);
    agg.record(match(T0 + 5_000, podB), indicator);
    return agg.flush({ final: true }).map((u) => JSON.stringify(u.sighting));
  };
  assert.deepEqual(run(), run());
});

test('a watermark closes only the windows that ended; includeOpen reports changed open ones', () => {
  const agg = aggregator();
  agg.record(match(T0, podA), indicator);
  agg.record(match(T0 + 30_000, podB), indicator);
  agg.record(match(T0 + 31_000, podB), indicator);
  assert.deepEqual(
    agg.flush({ watermarkMs: T0 + 60_000 }),
    [],
    'pod A closed unchanged since it was reported at open',
  );
  assert.equal(agg.stats().open, 1, 'pod B is still open');
  const open = agg.flush({ includeOpen: true });
  assert.equal(open.length, 1);
  assert.equal(open[0]?.sighting.count, 2);
  assert.deepEqual(agg.flush({ includeOpen: true }), [], 'nothing changed since');
});

test('the observed-data references are bounded, the count is not', () => {
  const agg = aggregator({ maxObservedDataRefs: 2 });
  for (let i = 0; i < 5; i += 1) agg.record(match(T0 + i, podA, i + 10), indicator);
  const [update] = agg.flush({ final: true });
  assert.ok(update);
  assert.equal(update.sighting.count, 5);
  assert.equal((update.sighting.observed_data_refs as string[]).length, 2);
});

test('beyond maxOpenSightings the oldest is closed early and counted', () => {
  const agg = aggregator({ maxOpenSightings: 1 });
  agg.record(match(T0, podA), indicator);
  agg.record(match(T0 + 1, podB), indicator);
  assert.equal(agg.stats().evicted, 1);
  assert.equal(agg.stats().open, 1);
});

test('given the watermark, a late match joins or misses a sighting by event order alone, not by when flushes ran', () => {
  const watermark = T0 + 65_000;
  const run = (flushBetween: boolean) => {
    const agg = aggregator();
    const updates = [agg.record(match(T0, podA, 1), indicator, T0)];
    // Events elsewhere moved the watermark past the window; then a match 35 s late arrives.
    if (flushBetween) updates.push(...agg.flush({ watermarkMs: watermark, includeOpen: true }));
    updates.push(agg.record(match(T0 + 30_000, podA, 2), indicator, watermark));
    updates.push(...agg.flush({ final: true }));
    return updates.flatMap((u) => (u === undefined ? [] : [`${u.sighting.id} ${String(u.sighting.count)}`]));
  };
  const flushed = run(true);
  assert.deepEqual(run(false), flushed);
  assert.equal(
    new Set(flushed.map((u) => u.split(' ')[0])).size,
    2,
    'the late match opened a second sighting',
  );
});
