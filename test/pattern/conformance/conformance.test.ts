import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchPattern, PatternSyntaxError } from '../../../src/pattern/index.js';
import { allCases } from './all-cases.js';
import type { ConformanceCase } from './case.js';

function check(conformanceCase: ConformanceCase): void {
  const run = (): boolean =>
    matchPattern(conformanceCase.pattern, conformanceCase.observations, {
      stixVersion: conformanceCase.stixVersion ?? '2.1',
    });
  const { expect } = conformanceCase;
  if (typeof expect === 'boolean') {
    assert.equal(run(), expect);
    return;
  }
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof PatternSyntaxError, `expected a PatternSyntaxError, got ${String(error)}`);
    assert.equal(error.column, expect.error.column, `column (message: ${error.message})`);
    if (expect.error.token !== undefined) assert.equal(error.token, expect.error.token, 'token');
    return true;
  });
}

for (const conformanceCase of allCases) {
  test(conformanceCase.rule, () => {
    check(conformanceCase);
  });
}
