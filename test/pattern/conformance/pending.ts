/**
 * Conformance cases our engine fails today: each is the specification's answer, and each is a bug report for
 * src/pattern/ (see the "Pending" section of docs/conformance.md). They are exported but not run by
 * conformance.test.ts; the reference cross-check (reference.test.ts) does run them. To re-enable one, move it
 * back into its section file under cases/.
 */
import type { ConformanceCase } from './case.js';

export const pendingCases: readonly ConformanceCase[] = [];
