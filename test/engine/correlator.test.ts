/**
 * The correlator asks the batch oracle only when the `[ … ]` its kept observations satisfy could complete
 * the pattern: while the last step of an attack has not come, the first steps pile up at no search cost.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observation, StixObject } from '../../src/contracts.js';
import { Correlator } from '../../src/engine/correlator.js';
import { Engine, engineConfigSchema } from '../../src/engine/index.js';
import { asBundles } from '../../src/engine/indicator.js';
import { createObservationView } from '../../src/pattern/index.js';
import { stixTimestamp } from '../../src/sightings/sighting.js';
import { deterministicId } from '../../src/stix/ids.js';
import { processObservation } from '../helpers/observation.js';
import { activatePattern } from './engine-runs.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');

function event(serial: number, name: string): Observation {
  const process: StixObject = { type: 'process', id: deterministicId('process', { serial }), name };
  return processObservation({ time: T0 + serial * 1000, pid: serial, roots: [process] });
}

test('the oracle is asked only once the kept observations could complete the pattern', () => {
  const pattern =
    "([process:name = 'sh'] FOLLOWEDBY [process:name = 'curl'] FOLLOWEDBY [process:name = 'kubectl']) OR [process:name = 'nc']";
  const indicator = activatePattern(pattern, 'indicator--0f1e2d3c-4b5a-4978-8675-a4b3c2d1e0f9');
  let searches = 0;
  const search = (observations: readonly Observation[]): Iterable<ReadonlySet<number>> => {
    searches += 1;
    return indicator.compiled.bindings(asBundles(observations));
  };
  const correlator = new Correlator(search, 3_600_000, 1_000, 10_000, undefined, indicator.shape.completable);
  const offer = (serial: number, name: string): readonly Observation[] | undefined => {
    const observation = event(serial, name);
    const view = createObservationView(observation.observedData, observation.objects);
    const leaves = indicator.leafTests.reduce((mask, holds, i) => (holds(view) ? mask | (1 << i) : mask), 0);
    return correlator.offer(observation, leaves).match;
  };
  // sh and curl over and over: no kubectl and no nc kept, so nothing can complete; no search.
  for (let serial = 0; serial < 40; serial += 1)
    assert.equal(offer(serial, serial % 2 === 0 ? 'sh' : 'curl'), undefined);
  assert.equal(searches, 0);
  // The last step comes: the oracle is asked, and every sh and curl before it joins it in some binding.
  assert.equal(offer(40, 'kubectl')?.length, 41);
  assert.equal(searches, 1);
  // The other side of the OR completes alone, whatever is kept.
  assert.equal(offer(41, 'nc')?.map((o) => o.observedData.id).length, 1);
  assert.equal(searches, 2);
});

test('a search that runs out of steps gives the match what it found, counted as truncated', () => {
  const pattern = "[process:name = 'a'] FOLLOWEDBY ([process:name = 'b'] REPEATS 2 TIMES)";
  const indicator = activatePattern(pattern, 'indicator--1f2e3d4c-5b6a-4978-8675-a4b3c2d1e0f9');
  const run = (maxSearchStepsPerOffer: number) => {
    const engine = new Engine([indicator], engineConfigSchema.parse({ maxSearchStepsPerOffer }));
    // Observed over a second each, so the oracle decides (not the counting shortcut).
    const stream = [
      ...Array.from({ length: 20 }, (_, serial) => event(serial, 'a')),
      event(20, 'b'),
      event(21, 'b'),
    ].map((observation) => ({
      ...observation,
      observedData: { ...observation.observedData, last_observed: stixTimestamp(observation.time + 1000) },
    }));
    const matches = stream.flatMap((observation) => engine.process(observation));
    return { matches, truncated: engine.stats().truncatedMatches };
  };
  const complete = run(1_000_000);
  assert.equal(complete.truncated, 0);
  assert.deepEqual(
    complete.matches.map((match) => match.observations.length),
    [22],
    'every a, and both b',
  );
  const cut = run(60);
  assert.ok(cut.truncated >= 1, 'the cut is counted');
  assert.ok(cut.matches.every((match) => match.observations.length < 22));
});
