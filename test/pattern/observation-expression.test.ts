import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { matchPattern } from '../../src/pattern/compile.js';
import { at, bundle, observedDataV20, type Timing } from './observation-fixtures.js';

const A = "[file:name = 'a']";
const B = "[file:name = 'b']";
const named = (name: string, timing: Timing = {}) => bundle([{ type: 'file', name }], timing);

test('AND and FOLLOWEDBY bind different observations; OR binds either', () => {
  const a = named('a', { first: at(0) });
  const b = named('b', { first: at(10) });
  assert.ok(matchPattern(`${A} AND ${B}`, [a, b]));
  assert.ok(matchPattern(`${B} AND ${A}`, [a, b]));
  assert.ok(!matchPattern(`${A} AND ${A}`, [a, b]), 'one observation cannot bind both sides');
  assert.ok(matchPattern(`${A} AND ${A}`, [a, named('a', { first: at(5) })]));
  assert.ok(matchPattern(`${A} OR ${B}`, [b]));
  assert.ok(!matchPattern(`${A} AND (${A} OR ${B})`, [a]));
  assert.ok(matchPattern(`${A} AND (${A} OR ${B})`, [a, b]));
});

test('one observed-data with number_observed n can bind n observation expressions (as the reference)', () => {
  const thrice = named('a', { first: at(5), count: 3 });
  assert.ok(matchPattern(`${A} AND ${A}`, [thrice]));
  assert.ok(matchPattern(`${A} FOLLOWEDBY ${A}`, [thrice]));
  assert.ok(matchPattern(`${A} REPEATS 3 TIMES`, [thrice]));
  assert.ok(!matchPattern(`${A} REPEATS 4 TIMES`, [thrice]));
  assert.ok(matchPattern(`${A} REPEATS 4 TIMES`, [thrice, named('a')]));
  assert.ok(!matchPattern(`(${A} AND ${A}) AND (${A} AND ${A})`, [thrice]));
});

test('FOLLOWEDBY: some choice of times puts the left no later than the right, intervals included', () => {
  const a0 = named('a', { first: at(0) });
  const b10 = named('b', { first: at(10) });
  const a20to30 = named('a', { first: at(20), last: at(30) });
  const b0to25 = named('b', { first: at(0), last: at(25) });
  assert.ok(matchPattern(`${A} FOLLOWEDBY ${B}`, [a0, b10]));
  assert.ok(!matchPattern(`${B} FOLLOWEDBY ${A}`, [a0, b10]));
  assert.ok(matchPattern(`${B} FOLLOWEDBY ${A}`, [a20to30, b10]));
  assert.ok(matchPattern(`${A} FOLLOWEDBY ${B}`, [a20to30, b0to25]), 'a at 20 can precede b at 25');
  assert.ok(
    matchPattern(`${A} FOLLOWEDBY ${B}`, [named('a', { first: at(7) }), named('b', { first: at(7) })]),
    'same instant',
  );
  assert.ok(!matchPattern(`${A} FOLLOWEDBY ${B} FOLLOWEDBY ${B}`, [a0, b10]));
  assert.ok(matchPattern(`(${A} FOLLOWEDBY ${B}) FOLLOWEDBY ${A}`, [a0, b10, a20to30]));
  assert.ok(!matchPattern(`(${A} FOLLOWEDBY ${B}) FOLLOWEDBY ${A}`, [a0, b10, named('a', { first: at(5) })]));
});

test('FOLLOWEDBY orders at nanosecond precision (the reference stops at microseconds)', () => {
  const a = named('a', { first: '2020-01-01T00:00:00.0000002Z' });
  const b = named('b', { first: '2020-01-01T00:00:00.0000001Z' });
  assert.ok(!matchPattern(`${A} FOLLOWEDBY ${B}`, [a, b]));
  assert.ok(matchPattern(`${B} FOLLOWEDBY ${A}`, [a, b]));
});

test('WITHIN: some instants less than that many seconds apart (exactly the window apart is out; the reference lets it in)', () => {
  const a0 = named('a', { first: at(0) });
  const b10 = named('b', { first: at(10) });
  assert.ok(!matchPattern(`(${A} AND ${B}) WITHIN 10 SECONDS`, [a0, b10]), 'exactly the window apart');
  assert.ok(
    matchPattern(`(${A} AND ${B}) WITHIN 10.000000001 SECONDS`, [a0, b10]),
    'a nanosecond more is enough',
  );
  assert.ok(!matchPattern(`(${A} AND ${B}) WITHIN 9 SECONDS`, [a0, b10]));
  assert.ok(!matchPattern(`(${A} AND ${B}) WITHIN 9.999 SECONDS`, [a0, b10]));
  assert.ok(matchPattern(`(${A} AND ${B}) WITHIN 0.5 SECONDS`, [a0, named('b', { first: at(0.25) })]));
  const long = named('b', { first: at(3), last: at(100) });
  assert.ok(
    matchPattern(`(${A} AND ${B}) WITHIN 3.5 SECONDS`, [a0, long]),
    'the start of a long interval counts',
  );
  assert.ok(!matchPattern(`(${A} AND ${B}) WITHIN 3 SECONDS`, [a0, long]));
  assert.ok(matchPattern(`(${A} REPEATS 2 TIMES) WITHIN 21 SECONDS`, [a0, named('a', { first: at(20) })]));
  assert.ok(!matchPattern(`(${A} REPEATS 2 TIMES) WITHIN 20 SECONDS`, [a0, named('a', { first: at(20) })]));
  assert.ok(matchPattern(`${A} WITHIN 1 SECONDS`, [a0]), 'one observation is always within');
});

test('WITHIN chooses among candidates: a far pair fails, a near pair succeeds', () => {
  const observations = [
    named('a', { first: at(0) }),
    named('b', { first: at(30) }),
    named('a', { first: at(28) }),
  ];
  assert.ok(matchPattern(`(${A} FOLLOWEDBY ${B}) WITHIN 5 SECONDS`, observations));
  assert.ok(!matchPattern(`(${A} FOLLOWEDBY ${B}) WITHIN 1 SECONDS`, observations));
});

test('START is inclusive, STOP exclusive; the interval must meet [start, stop)', () => {
  const a0 = named('a', { first: at(0) });
  const a20to30 = named('a', { first: at(20), last: at(30) });
  const window = (start: number, stop: number) => `START t'${at(start)}' STOP t'${at(stop)}'`;
  assert.ok(matchPattern(`${A} ${window(0, 1)}`, [a0]));
  assert.ok(
    !matchPattern(`[file:name = 'a'] START t'2019-12-31T23:59:59Z' STOP t'${at(0)}'`, [a0]),
    'STOP exclusive',
  );
  assert.ok(matchPattern(`${A} ${window(30, 40)}`, [a20to30]), 'touching START');
  assert.ok(!matchPattern(`${A} ${window(31, 40)}`, [a20to30]));
  assert.ok(!matchPattern(`${A} ${window(10, 20)}`, [a20to30]), 'touching STOP');
  assert.ok(matchPattern(`${A} ${window(10, 21)}`, [a20to30]));
  assert.ok(!matchPattern(`${A} ${window(5, 5)}`, [named('a', { first: at(5) })]), 'empty window');
  assert.ok(!matchPattern(`(${A} AND ${B}) ${window(0, 5)}`, [a0, named('b', { first: at(5) })]));
  assert.ok(matchPattern(`(${A} AND ${B}) ${window(0, 6)}`, [a0, named('b', { first: at(5) })]));
});

test('REPEATS counts distinct observations, of the repeated expression as a whole', () => {
  const a0 = named('a', { first: at(0) });
  const b1 = named('b', { first: at(1) });
  const a2 = named('a', { first: at(2) });
  assert.ok(matchPattern(`(${A} OR ${B}) REPEATS 2 TIMES`, [a0, b1]));
  assert.ok(!matchPattern(`(${A} OR ${B}) REPEATS 3 TIMES`, [a0, b1]));
  assert.ok(matchPattern(`(${A} FOLLOWEDBY ${B}) REPEATS 1 TIMES`, [a0, b1]));
  assert.ok(!matchPattern(`(${A} FOLLOWEDBY ${B}) REPEATS 2 TIMES`, [a0, b1, a2]), 'only one b');
  assert.ok(matchPattern(`(${A} AND ${B}) REPEATS 2 TIMES`, [a0, b1, a2, named('b', { first: at(3) })]));
});

test('REPEATS tries other repetitions when an enclosing qualifier or operator rejects the first (found by the differential test)', () => {
  const a = (seconds: number) => named('a', { first: at(seconds) });
  assert.ok(matchPattern(`${A} REPEATS 2 TIMES WITHIN 10 SECONDS`, [a(100), a(5), a(6)]));
  assert.ok(!matchPattern(`${A} REPEATS 2 TIMES WITHIN 10 SECONDS`, [a(100), a(5), a(60)]));
  assert.ok(
    matchPattern(`${B} FOLLOWEDBY ${A} REPEATS 2 TIMES`, [a(0), named('b', { first: at(10) }), a(20), a(30)]),
  );
  assert.ok(
    !matchPattern(`${B} FOLLOWEDBY ${A} REPEATS 2 TIMES`, [a(0), named('b', { first: at(10) }), a(20)]),
  );
});

test('nested REPEATS over too few observations answers false without an exhaustive search (found by the differential test)', () => {
  const observations = [0, 1, 2].map((s) => named('a', { first: at(s) }));
  assert.ok(!matchPattern(`(${A} REPEATS 2 TIMES OR ${B}) REPEATS 3 TIMES`, observations));
  assert.ok(
    matchPattern(`(${A} REPEATS 2 TIMES OR ${B}) REPEATS 3 TIMES`, [
      ...observations,
      ...[3, 4, 5].map((s) => named('a', { first: at(s) })),
    ]),
  );
});

test('a large REPEATS count fails fast when there are not enough observations', () => {
  const many = Array.from({ length: 40 }, (_, i) => named('a', { first: at(i) }));
  assert.ok(!matchPattern(`${A} REPEATS 1000 TIMES`, many));
  assert.ok(matchPattern(`${A} REPEATS 40 TIMES`, many));
  assert.ok(
    matchPattern(`${A} REPEATS 1000000 TIMES`, [named('a', { count: 1_000_000 })]),
    'counts, not instances',
  );
});

test('STIX 2.0 input: observed-data with embedded objects, references by key', () => {
  const sdo = observedDataV20({
    '0': { type: 'ipv4-addr', value: '1.2.3.4' },
    '1': { type: 'network-traffic', src_ref: '0', dst_ref: '9', protocols: ['tcp'] },
  });
  const options = { stixVersion: '2.0' } as const;
  assert.ok(matchPattern("[network-traffic:src_ref.value = '1.2.3.4']", [sdo], options));
  assert.ok(!matchPattern("[network-traffic:dst_ref.value = '1.2.3.4']", [sdo], options));
  assert.ok(matchPattern("[network-traffic:protocols[*] = 'tcp']", [sdo], options));
  const later = observedDataV20([{ type: 'file', name: 'b' }], { first: at(10) });
  const earlier = observedDataV20([{ type: 'file', name: 'a' }], { first: at(0) });
  assert.ok(matchPattern(`${A} FOLLOWEDBY ${B}`, [later, earlier], options));
  assert.ok(!matchPattern(`${B} FOLLOWEDBY ${A}`, [later, earlier], options));
});

test('the answer does not depend on the order of the observations, and AND/OR commute (property)', () => {
  const leaf = fc.constantFrom(A, B, "[file:name != 'c']");
  const expression: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc
        .tuple(tie('node'), fc.constantFrom('AND', 'OR', 'FOLLOWEDBY'), tie('node'))
        .map(([l, op, r]) => `(${l} ${op} ${r})`),
      fc.tuple(tie('node'), fc.integer({ min: 1, max: 4 })).map(([e, s]) => `(${e}) WITHIN ${s} SECONDS`),
      fc.tuple(leaf, fc.integer({ min: 2, max: 3 })).map(([e, n]) => `${e} REPEATS ${n} TIMES`),
    ),
  })).node;
  const observation = fc
    .record({
      name: fc.constantFrom('a', 'b', 'c'),
      first: fc.integer({ min: 0, max: 6 }),
      span: fc.integer({ min: 0, max: 2 }),
      count: fc.integer({ min: 1, max: 2 }),
    })
    .map(({ name, first, span, count }) => named(name, { first: at(first), last: at(first + span), count }));
  fc.assert(
    fc.property(
      expression,
      fc.array(observation, { maxLength: 5 }),
      fc.infiniteStream(fc.nat()),
      (pattern, batch, seeds) => {
        const answer = matchPattern(pattern, batch);
        const shuffled = [...batch];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = (seeds.next().value as number) % (i + 1);
          [shuffled[i], shuffled[j]] = [
            shuffled[j] as (typeof shuffled)[number],
            shuffled[i] as (typeof shuffled)[number],
          ];
        }
        assert.equal(matchPattern(pattern, shuffled), answer, 'permuted input');
        const swapped = pattern.replace(/^\((.*) (AND|OR) (\[[^\]]*\])\)$/, '($3 $2 $1)');
        if (swapped !== pattern) assert.equal(matchPattern(swapped, batch), answer, swapped);
      },
    ),
    { numRuns: 300 },
  );
});
