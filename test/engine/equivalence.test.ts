import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observation, StixObject } from '../../src/contracts.js';
import { Engine, engineConfigSchema } from '../../src/engine/index.js';
import { asBundles } from '../../src/engine/indicator.js';
import { deterministicId } from '../../src/stix/ids.js';
import { processObservation } from '../helpers/observation.js';
import { activatePattern } from './engine-runs.js';
import { pick, prng } from './random.js';

const names = ['sh', 'curl', 'ln', 'cat'];
const leaves = [
  "[process:name = 'sh']",
  "[process:name = 'curl']",
  "[process:name IN ('ln', 'cat')]",
  '[process:pid > 50]',
  "[process:name = 'cat' AND process:pid < 50]",
];

function generatePattern(random: () => number, depth: number): string {
  const roll = random();
  if (depth === 0 || roll < 0.3) return pick(random, leaves);
  if (roll < 0.75) {
    const operator = pick(random, ['AND', 'OR', 'FOLLOWEDBY']);
    return `(${generatePattern(random, depth - 1)} ${operator} ${generatePattern(random, depth - 1)})`;
  }
  const inner = generatePattern(random, depth - 1);
  return random() < 0.5
    ? `(${inner} WITHIN ${1 + Math.floor(random() * 40)} SECONDS)`
    : `(${inner} REPEATS ${2 + Math.floor(random() * 2)} TIMES)`;
}

const T0 = Date.parse('2026-11-28T10:00:00Z');

function generateStream(random: () => number, length: number): Observation[] {
  let time = T0;
  return Array.from({ length }, (_, i) => {
    time += Math.floor(random() * 15_000);
    const name = pick(random, names);
    const process: StixObject = {
      type: 'process',
      id: deterministicId('process', { i }),
      pid: Math.floor(random() * 100),
      name,
    };
    return processObservation({ time, pid: i, roots: [process] });
  });
}

test('the streaming engine first matches exactly when the batch evaluator first matches a prefix', () => {
  const random = prng(20261128);
  const config = engineConfigSchema.parse({ defaultHorizonMs: 24 * 3_600_000 });
  let matchedStreams = 0;
  const cases = 1000;
  for (let c = 0; c < cases; c += 1) {
    const pattern = generatePattern(random, 3);
    const indicator = activatePattern(pattern);
    const stream = generateStream(random, 4 + Math.floor(random() * 8));
    const engine = new Engine([indicator], config);
    let streamingFirst = -1;
    let oracleFirst = -1;
    for (let i = 0; i < stream.length; i += 1) {
      const observation = stream[i];
      if (observation === undefined) continue;
      const matches = engine.process(observation);
      if (streamingFirst < 0 && matches.length > 0) {
        streamingFirst = i;
        const [match] = matches;
        assert.ok(match);
        assert.ok(
          indicator.compiled.match(asBundles(match.observations)),
          `the observations of a match satisfy the pattern: ${pattern}`,
        );
      }
      if (oracleFirst < 0 && indicator.compiled.match(asBundles(stream.slice(0, i + 1)))) oracleFirst = i;
    }
    assert.equal(streamingFirst, oracleFirst, `case ${c}: ${pattern}`);
    if (oracleFirst >= 0) matchedStreams += 1;
  }
  // Both outcomes must be common, or the comparison proves little.
  assert.ok(
    matchedStreams > cases * 0.2 && matchedStreams < cases * 0.8,
    `matched ${matchedStreams} of ${cases}`,
  );
});
