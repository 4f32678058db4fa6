import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Match, SightingUpdate } from '../../src/contracts.js';
import { SightingAggregator } from '../../src/sightings/aggregator.js';
import { sightingsConfigSchema } from '../../src/sightings/config.js';
import { processObservation } from '../helpers/observation.js';
import { throughStateFile } from '../helpers/state-file.js';

const shell = { id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', name: 'Shell in bait pod' };
const podA = { node: 'worker-1', namespace: 'bait', pod: 'ssh-0' };
const podB = { node: 'worker-2', namespace: 'bait', pod: 'ssh-1' };
const T0 = Date.parse('2026-11-28T10:00:00Z');

function aggregator(): SightingAggregator {
  const config = sightingsConfigSchema.parse({ aggregationWindowMs: 60_000, maxObservedDataRefs: 3 });
  return new SightingAggregator(config, { clusterName: 'honeycluster', reportOnOpen: true });
}

function match(time: number, context: typeof podA, pid: number): Match {
  const observation = processObservation({ time, context, pid, commandLine: `/bin/sh -c id #${pid}` });
  return { indicatorId: shell.id, observations: [observation], time };
}

/** A multi-observation match that uses an observation an earlier match already brought. */
function pairWith(earlier: Match, time: number, pid: number): Match {
  const later = match(time, podA, pid).observations;
  return { indicatorId: shell.id, observations: [...earlier.observations, ...later], time };
}

const first = match(T0, podA, 1);
/** Two places, a shared observation, more matches than observed_data_refs holds, a window ending halfway. */
const matches: Match[] = [
  first,
  match(T0 + 1_000, podB, 2),
  pairWith(first, T0 + 5_000, 3),
  match(T0 + 9_000, podA, 4),
  match(T0 + 12_000, podB, 5),
  match(T0 + 20_000, podA, 6),
  match(T0 + 30_000, podA, 7),
  match(T0 + 61_000, podA, 8),
  match(T0 + 62_000, podB, 9),
];

/** What outputs see: every update, in order, as the facts a graph stores. */
function facts(updates: readonly SightingUpdate[]) {
  return updates.map((u) => ({
    id: u.sighting.id,
    count: u.sighting.count,
    firstSeen: u.sighting.first_seen,
    lastSeen: u.sighting.last_seen,
    refs: u.sighting.observed_data_refs,
    newObservations: u.newObservations.map((o) => o.observedData.id),
    summary: u.summary,
    isNew: u.isNew,
  }));
}

/** Records the matches, flushing (open sightings included, as the daemon does) after each. */
function feed(agg: SightingAggregator, list: readonly Match[]): SightingUpdate[] {
  const updates: SightingUpdate[] = [];
  for (const m of list) {
    const opened = agg.record(m, shell);
    if (opened !== undefined) updates.push(opened);
    updates.push(...agg.flush({ watermarkMs: m.time - 5_000, includeOpen: true }));
  }
  return updates;
}

test('sightings restored from the state file go on as if the process had never stopped: same ids, counts and refs', () => {
  const whole = aggregator();
  const expected = [...feed(whole, matches), ...whole.flush({ final: true })];

  for (let cut = 1; cut < matches.length; cut += 1) {
    const before = aggregator();
    const first = feed(before, matches.slice(0, cut));
    const saved = throughStateFile({ sightings: before.snapshot() });
    const after = aggregator();
    after.restore(saved.sightings);
    const rest = [...feed(after, matches.slice(cut)), ...after.flush({ final: true })];
    assert.deepEqual(facts([...first, ...rest]), facts(expected), `cut after ${cut} matches`);
  }
});

test('sightings restored with updates not yet emitted, one of them closed, report them as the first process would have', () => {
  // The third match falls after the first window: it closes the first sighting (not yet reported) and opens another.
  const unflushed = [match(T0, podA, 1), match(T0 + 1_000, podA, 2), match(T0 + 61_000, podA, 3)];
  const whole = aggregator();
  for (const m of unflushed) whole.record(m, shell);
  const expected = whole.flush({ final: true });

  const before = aggregator();
  for (const m of unflushed) before.record(m, shell);
  const after = aggregator();
  after.restore(throughStateFile({ sightings: before.snapshot() }).sightings);
  assert.deepEqual(facts(after.flush({ final: true })), facts(expected));
  assert.deepEqual(
    expected.map((u) => u.sighting.count),
    [2],
    'the closed one, with the match it had not reported',
  );
});

test('restore refuses an aggregator that already holds sightings', () => {
  const agg = aggregator();
  agg.record(match(T0, podA, 1), shell);
  assert.throws(() => {
    agg.restore([]);
  }, /already holds sightings/);
});
