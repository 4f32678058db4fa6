import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEVIATIONS, findDeviation } from '../differential/deviations.js';
import {
  isReferenceError,
  ReferenceMatcher,
  type ReferenceAnswer,
} from '../differential/reference-process.js';
import { allCases } from './all-cases.js';
import type { ConformanceCase } from './case.js';
import { pendingCases } from './pending.js';

// Cross-checks every case (pending ones too) against the reference matcher: it must give the case's answer
// (any error for an expected error), unless the case names a deviation, in which case it must still differ.
const reference = ReferenceMatcher.start();
after(() => reference.close());

function agrees(conformanceCase: ConformanceCase, answer: ReferenceAnswer): boolean {
  if (typeof conformanceCase.expect !== 'boolean') return isReferenceError(answer);
  return !isReferenceError(answer) && answer.matched === conformanceCase.expect;
}

for (const conformanceCase of [...allCases, ...pendingCases]) {
  test(`reference: ${conformanceCase.rule}`, async () => {
    const answer = await reference.ask({
      pattern: conformanceCase.pattern,
      observations: conformanceCase.observations,
      version: conformanceCase.stixVersion ?? '2.1',
    });
    const deviation = conformanceCase.referenceDeviation;
    if (deviation === undefined) {
      assert.ok(agrees(conformanceCase, answer), `the reference answered ${JSON.stringify(answer)}`);
    } else {
      assert.ok(findDeviation(deviation), `unknown deviation ${deviation}`);
      assert.ok(!agrees(conformanceCase, answer), `the reference no longer deviates (${deviation})`);
    }
  });
}

test('every deviation is documented in docs/conformance.md', () => {
  const docs = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'conformance.md'), 'utf8');
  for (const { id } of DEVIATIONS)
    assert.ok(docs.includes(`\`${id}\``), `${id} is missing from docs/conformance.md`);
});
