import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { EngineRunner } from '../differential/engine-runner.js';
import { allCases } from './all-cases.js';
import type { ConformanceCase } from './case.js';

// matchPattern runs in a child process with a time limit per case, so that a hang fails its case
// instead of stopping the whole run.
const TIME_LIMIT_MS = 5000;
const engine = new EngineRunner(TIME_LIMIT_MS);
after(() => engine.close());

async function check(conformanceCase: ConformanceCase): Promise<void> {
  const answer = await engine.answer({
    pattern: conformanceCase.pattern,
    observations: conformanceCase.observations,
    version: conformanceCase.stixVersion ?? '2.1',
  });
  assert.ok(!('crash' in answer), `the engine failed: ${'crash' in answer ? answer.crash : ''}`);
  const { expect } = conformanceCase;
  if (typeof expect === 'boolean') {
    assert.deepEqual(answer, { matched: expect });
    return;
  }
  assert.ok('error' in answer, `expected a PatternSyntaxError, got ${JSON.stringify(answer)}`);
  assert.equal(answer.column, expect.error.column, `column (message: ${answer.error})`);
  if (expect.error.token !== undefined) assert.equal(answer.token, expect.error.token, 'token');
}

for (const conformanceCase of allCases) {
  test(conformanceCase.rule, () => check(conformanceCase));
}
