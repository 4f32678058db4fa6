/**
 * The index at full scale: with 10,000 generated indicators (the largest set the benchmark loads), the indexed
 * engine reports, for every indicator, exactly the matches of the engine that tests every comparison
 * expression against every event. The stream is short because that reference costs about 10,000 leaf tests
 * per event; the indicator count is the point. A self-check shows the comparison catches an index that files
 * expressions under the wrong key.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Observation } from '../../src/contracts.js';
import { Engine, engineConfigSchema, type ActiveIndicator } from '../../src/engine/index.js';
import { indexKeys, type IndexKey } from '../../src/engine/index-keys.js';
import type { ComparisonExpression } from '../../src/pattern/index.js';
import { generateBenignLines } from '../fixtures/benign/generate.js';
import { activateAll, differingIndicators, matchesByIndicator, observeAll } from './engine-runs.js';
import { IndicatorGenerator, collectVocabulary } from './indicator-generator.js';
import { prng } from './random.js';

const INDICATORS = 10_000;
const EVENTS = 300;
const config = engineConfigSchema.parse({ maxBindingsPerMatch: 100_000 });

let observations: Observation[] = [];
let indicators: ActiveIndicator[] = [];
/** Matches per indicator of the engine without the index: the reference. */
let expected = new Map<string, string[]>();

before(() => {
  observations = observeAll(generateBenignLines({ count: EVENTS, seed: 23, sensor: 'tetragon' }));
  // The vocabulary of the stream itself, so the indicators that name seen values can match in it.
  const generator = new IndicatorGenerator(collectVocabulary(observations), prng(10_000), {
    hitRate: 0.05,
    multiRate: 0.15,
    unindexable: true,
    // A few per cent: most unindexable comparisons hold for nearly every event, and the point is the index.
    unindexableRate: 0.02,
  });
  indicators = activateAll(generator.indicators(INDICATORS));
  expected = matchesByIndicator(new Engine(indicators, config, { indexed: false }), observations);
});

function keyKinds(leaves: readonly ComparisonExpression[]): Set<IndexKey['kind']> {
  return new Set(leaves.flatMap((leaf) => (indexKeys(leaf) ?? []).map((key) => key.kind)));
}

test('with 10,000 indicators, the indexed engine matches exactly as testing every indicator on every event', () => {
  assert.equal(indicators.length, INDICATORS, 'every generated pattern compiles');
  const indexed = new Engine(indicators, config);
  const actual = matchesByIndicator(indexed, observations);
  const differences = differingIndicators(
    indicators.map((i) => i.id),
    actual,
    expected,
  );
  const patterns = new Map(indicators.map((i) => [i.id, i.pattern]));
  assert.deepEqual(
    differences.slice(0, 5).map((d) => ({ ...d, pattern: patterns.get(d.id) })),
    [],
    `${differences.length} indicators differ`,
  );
  // The comparison proves something only if indicators of every kind of key matched, and most did not.
  const matched = indicators.filter((i) => expected.has(i.id));
  assert.ok(matched.length > 100 && matched.length < INDICATORS / 5, `${matched.length} indicators matched`);
  const kinds = new Set(matched.flatMap((i) => [...keyKinds(i.shape.leaves)]));
  assert.deepEqual([...kinds].sort(), ['equal', 'network', 'prefix', 'suffix']);
  assert.ok(
    matched.some((i) => !i.shape.singleObservation),
    'multi-observation indicators matched too',
  );
  assert.ok(indexed.warnings.length > 0, 'unindexable comparisons are in the set');
});

/** The indicator with its only `[ … ]` filed under another value; its predicate is unchanged. */
function misfiled(indicator: ActiveIndicator): ActiveIndicator | undefined {
  const [leaf] = indicator.shape.leaves;
  if (indicator.shape.leaves.length !== 1 || leaf?.kind !== 'comparison') return undefined;
  if (leaf.operator !== '=' || leaf.negated || leaf.value?.kind !== 'string') return undefined;
  const value = { ...leaf.value, value: `${leaf.value.value}-misfiled` };
  return { ...indicator, shape: { ...indicator.shape, leaves: [{ ...leaf, value }] } };
}

test('self-check: the comparison catches an index that files expressions under the wrong key', () => {
  const broken = indicators
    .filter((i) => expected.has(i.id))
    .flatMap((i) => misfiled(i) ?? [])
    .slice(0, 20);
  assert.ok(broken.length > 0, 'some matching indicators are a single equality');
  const actual = matchesByIndicator(new Engine(broken, config), observations);
  const differences = differingIndicators(
    broken.map((i) => i.id),
    actual,
    expected,
  );
  assert.equal(differences.length, broken.length, 'every misfiled indicator is reported');
});
