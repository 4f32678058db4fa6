/**
 * What the index says about an indicator set, as data for `check` and the logs: patterns with a `[ … ]`
 * the index cannot file by value (it then meets every observation of its object types), or that can never
 * match (AND across object types).
 */
import type { ActiveIndicator } from './indicator.js';
import { indexKeys } from './index-keys.js';

export type IndexWarningCode = 'unindexed-comparison' | 'never-matches';

export interface IndexWarning {
  readonly code: IndexWarningCode;
  readonly indicatorId: string;
  /** 0-based position of the `[ … ]` in the pattern, left to right. */
  readonly leaf: number;
  readonly message: string;
}

const messages: Record<IndexWarningCode, string> = {
  'unindexed-comparison':
    'has no equality, IN, LIKE with a literal prefix or suffix, or ISSUBSET on a path; it is tested against every observation with an object of its type',
  'never-matches': 'joins comparisons on different object types with AND; no single object can satisfy it',
};

export function indexWarnings(indicators: readonly ActiveIndicator[]): IndexWarning[] {
  const warnings: IndexWarning[] = [];
  for (const indicator of indicators) {
    indicator.shape.leaves.forEach((leaf, i) => {
      const never = indicator.leafCompiled[i]?.objectTypes.length === 0;
      if (!never && indexKeys(leaf) !== undefined) return;
      const code: IndexWarningCode = never ? 'never-matches' : 'unindexed-comparison';
      warnings.push({
        code,
        indicatorId: indicator.id,
        leaf: i,
        message: `[ … ] number ${i + 1} of ${indicator.id} ${messages[code]}.`,
      });
    });
  }
  return warnings;
}
