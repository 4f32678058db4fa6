/**
 * REPEATS over two `[ … ]` joined by AND, OR or FOLLOWEDBY, counted (fast-shapes.ts, repeated-pairs.ts),
 * against the batch oracle's bindings: over generated streams that arrive out of order within the tolerance, with events at equal
 * times and events that satisfy both sides, each offer reports exactly the observations the oracle's
 * bindings through the new one use.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observation, StixObject } from '../../src/contracts.js';
import type { ActiveIndicator } from '../../src/engine/index.js';
import { Correlator } from '../../src/engine/correlator.js';
import { fastShapeOf } from '../../src/engine/fast-shapes.js';
import { asBundles } from '../../src/engine/indicator.js';
import { createObservationView } from '../../src/pattern/index.js';
import { deterministicId } from '../../src/stix/ids.js';
import { processObservation } from '../helpers/observation.js';
import { activatePattern } from './engine-runs.js';
import { pick, prng } from './random.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');
const INDICATOR_ID = 'indicator--2b7c0e55-3f0a-4c8e-9d7b-5e1f3a9c6d42';
const TOLERANCE_MS = 5_000;
/** Sides that overlap (an `a` with a high pid satisfies both), so pairs compete for observations. */
const leaves = [
  "[process:name = 'a']",
  "[process:name = 'b']",
  '[process:pid > 60]',
  "[process:name IN ('a', 'c')]",
];

function generatePattern(random: () => number): string {
  const left = pick(random, leaves);
  const right = pick(
    random,
    leaves.filter((leaf) => leaf !== left),
  );
  const operator = pick(random, ['AND', 'FOLLOWEDBY', 'FOLLOWEDBY', 'OR']);
  const times = 1 + Math.floor(random() * 3);
  const within = random() < 0.7 ? ` WITHIN ${5 + Math.floor(random() * 40)} SECONDS` : '';
  return `([${left.slice(1, -1)}] ${operator} [${right.slice(1, -1)}]) REPEATS ${times} TIMES${within}`;
}

/** Events in time order (some at equal times), then arriving up to the tolerance late. */
function generateStream(random: () => number, length: number): Observation[] {
  let time = T0;
  const events = Array.from({ length }, (_, serial) => {
    time += random() < 0.15 ? 0 : Math.floor(random() * 9_000);
    const process: StixObject = {
      type: 'process',
      id: deterministicId('process', { serial }),
      pid: Math.floor(random() * 100),
      name: pick(random, ['a', 'b', 'c']),
    };
    return { observation: processObservation({ time, pid: serial, roots: [process] }), time };
  });
  return events
    .map((e) => ({ e, arrival: e.time + random() * TOLERANCE_MS }))
    .sort((x, y) => x.arrival - y.arrival)
    .map(({ e }) => e.observation);
}

function correlators(indicator: ActiveIndicator): { counted: Correlator; oracle: Correlator } {
  const shape = fastShapeOf(indicator.compiled.ast);
  assert.ok(shape !== undefined, `${indicator.pattern} is counted`);
  const search = (observations: readonly Observation[]): Iterable<ReadonlySet<number>> =>
    indicator.compiled.bindings(asBundles(observations));
  const keepMs = 24 * 3_600_000;
  return {
    counted: new Correlator(search, keepMs, 1_000, 1_000_000, shape),
    oracle: new Correlator(search, keepMs, 1_000, 1_000_000, undefined),
  };
}

function ids(match: readonly Observation[] | undefined): string[] {
  return (match ?? []).map((o) => o.observedData.id);
}

/**
 * Offers `cases` generated patterns their streams, counted and through the oracle, asserting equal
 * matches at every offer; returns how many offers matched, and how many of those carried more than four.
 */
function compareWithOracle(
  random: () => number,
  cases: number,
  generate: (random: () => number) => string,
): { matches: number; wide: number } {
  let matches = 0;
  let wide = 0;
  for (let c = 0; c < cases; c += 1) {
    const indicator = activatePattern(generate(random), INDICATOR_ID);
    const { counted, oracle } = correlators(indicator);
    for (const observation of generateStream(random, 4 + Math.floor(random() * 7))) {
      const view = createObservationView(observation.observedData, observation.objects);
      const mask = indicator.leafTests.reduce((m, holds, i) => (holds(view) ? m | (1 << i) : m), 0);
      if (mask === 0) continue;
      const expected = ids(oracle.offer(observation, mask).match);
      assert.deepEqual(
        ids(counted.offer(observation, mask).match),
        expected,
        `case ${c}: ${indicator.pattern}`,
      );
      if (expected.length === 0) continue;
      matches += 1;
      if (expected.length > 4) wide += 1;
    }
  }
  return { matches, wide };
}

test('REPEATS over [x] AND|OR|FOLLOWEDBY [y] is counted exactly as the oracle enumerates it', () => {
  const cases = 900;
  const { matches, wide } = compareWithOracle(prng(4_2026_11), cases, generatePattern);
  assert.ok(matches > cases, `${matches} matches: both outcomes must be common`);
  assert.ok(wide > cases / 10, `${wide} matches of more than two pairs`);
});

test('a side under WITHIN or REPEATS 1 TIMES is one observation: counted exactly as the oracle', () => {
  // `[x] FOLLOWEDBY [y] WITHIN 60 SECONDS` puts the WITHIN on [y] alone: what people often write.
  const qualified = (random: () => number, leaf: string): string => {
    const roll = random();
    if (roll < 0.4) return `${leaf} WITHIN ${1 + Math.floor(random() * 20)} SECONDS`;
    if (roll < 0.6) return `(${leaf} REPEATS 1 TIMES)`;
    return leaf;
  };
  const generate = (random: () => number): string => {
    const left = pick(random, leaves);
    const right = pick(
      random,
      leaves.filter((leaf) => leaf !== left),
    );
    const operator = pick(random, ['AND', 'FOLLOWEDBY', 'OR']);
    const pair = `${qualified(random, left)} ${operator} ${qualified(random, right)}`;
    const roll = random();
    if (roll < 0.3) return `(${pair}) WITHIN ${5 + Math.floor(random() * 40)} SECONDS`;
    if (roll < 0.5) return `(${pair}) REPEATS ${2 + Math.floor(random() * 2)} TIMES`;
    return pair;
  };
  const cases = 600;
  const { matches } = compareWithOracle(prng(28_11), cases, generate);
  assert.ok(matches > cases / 2, `${matches} matches: both outcomes must be common`);
});

test('REPEATS over a nested expression, and a side with a qualifier that counts, are left to the oracle', () => {
  for (const pattern of [
    "(([process:name = 'a'] AND [process:name = 'b']) WITHIN 5 SECONDS) REPEATS 2 TIMES",
    "([process:name = 'a'] AND ([process:name = 'b'] OR [process:pid > 3])) REPEATS 2 TIMES",
    "[process:name = 'a'] FOLLOWEDBY ([process:name = 'b'] REPEATS 2 TIMES)",
    "[process:name = 'a'] FOLLOWEDBY [process:name = 'b'] START t'2026-01-01T00:00:00Z' STOP t'2027-01-01T00:00:00Z'",
  ]) {
    assert.equal(fastShapeOf(activatePattern(pattern, INDICATOR_ID).compiled.ast), undefined, pattern);
  }
});
