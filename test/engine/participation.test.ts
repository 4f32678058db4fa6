/**
 * What a multi-observation match carries, checked against an exhaustive enumeration written here from the
 * specification (independent of the pattern library): on small streams that arrive out of order within the
 * tolerance, every match is exactly the union of the bindings that use the new observation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observation, StixObject } from '../../src/contracts.js';
import { Engine, activateIndicator, engineConfigSchema } from '../../src/engine/index.js';
import { asBundles } from '../../src/engine/indicator.js';
import { deterministicId } from '../../src/stix/ids.js';
import { processObservation } from '../helpers/observation.js';
import { pick, prng } from './random.js';

interface Event {
  readonly name: string;
  readonly pid: number;
  readonly time: number;
}

/** A pattern as text and as a function from events to its bindings (bitmasks of event positions). */
interface Generated {
  readonly text: string;
  readonly supports: (events: readonly Event[]) => number[];
}

const T0 = Date.parse('2026-11-28T10:00:00Z');
const names = ['a', 'b', 'c'];

const leafSpecs: readonly (readonly [string, (e: Event) => boolean])[] = [
  ["[process:name = 'a']", (e) => e.name === 'a'],
  ["[process:name = 'b']", (e) => e.name === 'b'],
  ["[process:name IN ('b', 'c')]", (e) => e.name === 'b' || e.name === 'c'],
  ['[process:pid > 50]', (e) => e.pid > 50],
  ["[process:name LIKE 'c%' AND process:pid < 50]", (e) => e.name === 'c' && e.pid < 50],
];

function bits(mask: number, events: readonly Event[]): Event[] {
  return events.filter((_, i) => (mask & (1 << i)) !== 0);
}

function unique(masks: number[]): number[] {
  return [...new Set(masks)];
}

/** Pairs of disjoint bindings, each pair's union kept when `accept` allows it. */
function joins(left: number[], right: number[], accept: (l: number, r: number) => boolean): number[] {
  const out: number[] = [];
  for (const l of left) for (const r of right) if ((l & r) === 0 && accept(l, r)) out.push(l | r);
  return unique(out);
}

function times(mask: number, events: readonly Event[]): number[] {
  return bits(mask, events).map((e) => e.time);
}

function generate(random: () => number, depth: number): Generated {
  const roll = random();
  if (depth === 0 || roll < 0.3) {
    const [text, holds] = pick(random, leafSpecs);
    return { text, supports: (events) => events.flatMap((e, i) => (holds(e) ? [1 << i] : [])) };
  }
  if (roll < 0.7) return generateBinary(random, depth);
  return generateQualified(random, depth);
}

function generateBinary(random: () => number, depth: number): Generated {
  const left = generate(random, depth - 1);
  const right = generate(random, depth - 1);
  const operator = pick(random, ['AND', 'OR', 'FOLLOWEDBY'] as const);
  const text = `(${left.text} ${operator} ${right.text})`;
  if (operator === 'OR')
    return { text, supports: (ev) => unique([...left.supports(ev), ...right.supports(ev)]) };
  return {
    text,
    supports: (ev) =>
      joins(left.supports(ev), right.supports(ev), (l, r) =>
        operator === 'AND' ? true : Math.max(...times(l, ev)) <= Math.min(...times(r, ev)),
      ),
  };
}

function generateQualified(random: () => number, depth: number): Generated {
  const inner = generate(random, depth - 1);
  const roll = random();
  if (roll < 0.4) {
    const seconds = 1 + Math.floor(random() * 40);
    return {
      text: `(${inner.text} WITHIN ${seconds} SECONDS)`,
      supports: (ev) =>
        inner.supports(ev).filter((m) => {
          const t = times(m, ev);
          return Math.max(...t) - Math.min(...t) < seconds * 1000;
        }),
    };
  }
  if (roll < 0.75) {
    const n = 2 + Math.floor(random() * 2);
    return {
      text: `(${inner.text} REPEATS ${n} TIMES)`,
      supports: (ev) => {
        const base = inner.supports(ev);
        let sets = base;
        for (let k = 1; k < n; k += 1) sets = joins(sets, base, () => true);
        return sets;
      },
    };
  }
  const start = T0 + Math.floor(random() * 40_000);
  const stop = start + Math.floor(random() * 60_000) + 1;
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    text: `(${inner.text} START t'${iso(start)}' STOP t'${iso(stop)}')`,
    supports: (ev) => inner.supports(ev).filter((m) => times(m, ev).every((t) => t >= start && t < stop)),
  };
}

const toleranceMs = 5_000;

/** Events in time order, then an arrival order in which none is later than the tolerance allows. */
function generateStream(random: () => number, length: number): Event[] {
  let time = T0;
  const events = Array.from({ length }, () => {
    time += Math.floor(random() * 12_000);
    return { name: pick(random, names), pid: Math.floor(random() * 100), time };
  });
  return events
    .map((e) => ({ e, arrival: e.time + random() * toleranceMs }))
    .sort((x, y) => x.arrival - y.arrival)
    .map(({ e }) => e);
}

function observe(e: Event, serial: number): Observation {
  const process: StixObject = {
    type: 'process',
    id: deterministicId('process', { serial }),
    pid: e.pid,
    name: e.name,
  };
  return processObservation({ time: e.time, pid: serial, roots: [process] });
}

test('a match carries exactly the kept observations that share a binding with the new one', () => {
  const random = prng(7_110_2026);
  const config = engineConfigSchema.parse({
    defaultHorizonMs: 24 * 3_600_000,
    outOfOrderToleranceMs: toleranceMs,
  });
  const cases = 1500;
  let matches = 0;
  let wider = 0;
  for (let c = 0; c < cases; c += 1) {
    const pattern = generate(random, 3);
    const indicator = activateIndicator({
      id: 'indicator--6a0e7a53-0c4b-4d1e-9f55-2d7f0d8b3c21',
      pattern: pattern.text,
      pattern_type: 'stix',
      valid_from: '2020-01-01T00:00:00Z',
    });
    if ('reason' in indicator) throw new Error(`${pattern.text}: ${indicator.message}`);
    const events = generateStream(random, 3 + Math.floor(random() * 5));
    const observations = events.map(observe);
    const engine = new Engine([indicator], config);
    for (let i = 0; i < events.length; i += 1) {
      const arrived = events.slice(0, i + 1);
      const newest = 1 << i;
      const expected = pattern
        .supports(arrived)
        .filter((m) => (m & newest) !== 0)
        .reduce((a, m) => a | m, 0);
      const [match] = engine.process(observations[i] as Observation);
      const got = (match?.observations ?? []).reduce((mask, o) => mask | (1 << observations.indexOf(o)), 0);
      assert.equal(got, expected, `case ${c}, arrival ${i}: ${pattern.text}`);
      if (match === undefined) continue;
      matches += 1;
      if (match.observations.length > 2) wider += 1;
      assert.ok(
        indicator.compiled.match(asBundles(match.observations)),
        `the match satisfies ${pattern.text}`,
      );
    }
  }
  assert.ok(matches > cases / 2, `${matches} matches: the comparison must see many`);
  assert.ok(wider > cases / 10, `${wider} matches with more than two observations`);
});
