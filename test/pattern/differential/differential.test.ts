import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classify, sameAnswer, type EngineAnswer } from './classifiers.js';
import { findDeviation } from './deviations.js';
import { EngineRunner } from './engine-runner.js';
import { caseInput, generateCases, type GeneratedCase } from './generator.js';
import { comparisonsOf, qualifiersOf } from './pattern-tree.js';
import { ReferenceMatcher, type ReferenceAnswer } from './reference-process.js';
import { shrink } from './shrink.js';

// Reproducible: the same seed gives the same cases. Override to explore: DIFFERENTIAL_SEED, DIFFERENTIAL_CASES.
const SEED = Number(process.env.DIFFERENTIAL_SEED ?? 20260601);
const CASES = Number(process.env.DIFFERENTIAL_CASES ?? 6000);
const SHARE_20 = 0.2;
const BATCH = 250;

/**
 * Known engine bugs (docs/conformance.md, "Pending"). While any is listed the comparison runs as a node:test
 * `todo`: it runs and prints its failures but does not fail the suite. Empty the list once src/pattern/ is fixed.
 */
const PENDING_ENGINE_BUGS: readonly string[] = [];

/** A case our engine takes longer than this on counts as a failure (the engine must never hang). */
const TIME_LIMIT_MS = 3000;

interface Unexplained {
  readonly generated: GeneratedCase;
  readonly ours: EngineAnswer;
  readonly theirs: ReferenceAnswer;
}

interface Engines {
  readonly ours: EngineRunner;
  readonly reference: ReferenceMatcher;
}

async function explain(
  engines: Engines,
  generated: GeneratedCase,
  ours: EngineAnswer,
  theirs: ReferenceAnswer,
) {
  return classify({
    generated,
    ours,
    theirs,
    askRepaired: (repairs) => engines.reference.ask(caseInput(generated, repairs)),
  });
}

async function isUnexplained(engines: Engines, generated: GeneratedCase): Promise<boolean> {
  const input = caseInput(generated);
  const ours = await engines.ours.answer(input);
  const theirs = await engines.reference.ask(input);
  return !sameAnswer(ours, theirs) && (await explain(engines, generated, ours, theirs)) === undefined;
}

async function describeMinimal(engines: Engines, failure: Unexplained): Promise<string> {
  // A hang costs TIME_LIMIT_MS per check: shrink those with a smaller budget.
  const budget = 'crash' in failure.ours && failure.ours.crash.startsWith('timeout') ? 40 : 300;
  const minimal = await shrink(failure.generated, (candidate) => isUnexplained(engines, candidate), budget);
  const input = caseInput(minimal);
  const report = {
    ...input,
    ours: await engines.ours.answer(input),
    reference: await engines.reference.ask(input),
    original: { case: failure.generated.index, pattern: caseInput(failure.generated).pattern },
  };
  return JSON.stringify(report, null, 2);
}

const comparisonOptions = PENDING_ENGINE_BUGS.length > 0 ? { todo: PENDING_ENGINE_BUGS.join('; ') } : {};

test(
  `differential: our engine and stix2-matcher agree on ${CASES} seeded cases (seed ${SEED})`,
  comparisonOptions,
  async (t) => {
    const engines: Engines = { ours: new EngineRunner(TIME_LIMIT_MS), reference: ReferenceMatcher.start() };
    try {
      const cases = generateCases(SEED, CASES, SHARE_20);
      const explained = new Map<string, number>();
      const unexplained: Unexplained[] = [];
      let matched = 0;
      let answered = 0;
      for (let start = 0; start < cases.length; start += BATCH) {
        const batch = cases.slice(start, start + BATCH);
        const inputs = batch.map((generated) => caseInput(generated));
        const theirs = await Promise.all(inputs.map((input) => engines.reference.ask(input)));
        for (const [i, generated] of batch.entries()) {
          const input = inputs[i];
          const answer = theirs[i];
          if (input === undefined || answer === undefined) continue;
          const ours = await engines.ours.answer(input);
          if ('matched' in ours) {
            answered += 1;
            if (ours.matched) matched += 1;
          }
          if (sameAnswer(ours, answer)) continue;
          const ids = await explain(engines, generated, ours, answer);
          if (ids === undefined) unexplained.push({ generated, ours, theirs: answer });
          else for (const id of ids) explained.set(id, (explained.get(id) ?? 0) + 1);
        }
      }

      t.diagnostic(`answered ${answered}, matched ${matched} (${((100 * matched) / answered).toFixed(1)} %)`);
      for (const [id, count] of explained) t.diagnostic(`explained by ${id}: ${count}`);
      for (const id of explained.keys())
        assert.ok(findDeviation(id), `classifier id ${id} is not a documented deviation`);

      const failures: string[] = [];
      for (const failure of unexplained.slice(0, 3)) failures.push(await describeMinimal(engines, failure));
      assert.equal(
        unexplained.length,
        0,
        `${unexplained.length} unexplained disagreements; the smallest forms of the first:\n${failures.join('\n')}`,
      );

      const rate = matched / answered;
      assert.ok(rate > 0.2 && rate < 0.8, `match rate ${rate.toFixed(3)} is outside 20-80 %`);
    } finally {
      await Promise.all([engines.ours.close(), engines.reference.close()]);
    }
  },
);

test('differential: the generator covers every operator, qualifier and both STIX versions', () => {
  const cases = generateCases(SEED, CASES, SHARE_20);
  const seen = new Map<string, number>();
  const count = (key: string): void => {
    seen.set(key, (seen.get(key) ?? 0) + 1);
  };
  for (const generated of cases) {
    count(`version ${generated.version}`);
    for (const c of comparisonsOf(generated.tree)) {
      if (c.kind !== 'comparison') continue;
      count(`${c.negated ? 'NOT ' : ''}${c.operator}`);
      if (c.path.includes('_ref')) count('reference path');
      if (c.path.includes('[*]')) count('[*]');
      if (/\[\d+\]/.test(c.path)) count('[n]');
      if (c.path.includes("'")) count('quoted path');
    }
    for (const q of qualifiersOf(generated.tree)) count(q.kind);
    if (generated.tree.kind === 'AND' || generated.tree.kind === 'OR' || generated.tree.kind === 'FOLLOWEDBY')
      count(generated.tree.kind);
  }
  const required = [
    'version 2.0',
    'version 2.1',
    '=',
    '!=',
    '<',
    '>',
    '<=',
    '>=',
    'IN',
    'LIKE',
    'MATCHES',
    'ISSUBSET',
    'ISSUPERSET',
    'EXISTS',
    'NOT =',
    'NOT !=',
    'NOT IN',
    'NOT LIKE',
    'NOT MATCHES',
    'NOT ISSUBSET',
    'NOT ISSUPERSET',
    'NOT <',
    'reference path',
    '[*]',
    '[n]',
    'quoted path',
    'REPEATS',
    'WITHIN',
    'START',
    'AND',
    'OR',
    'FOLLOWEDBY',
  ];
  for (const key of required)
    assert.ok((seen.get(key) ?? 0) >= 20, `${key} appears ${seen.get(key) ?? 0} times`);
});
