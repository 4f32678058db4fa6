/**
 * What the index says about an indicator set, as data for `check` and the logs: patterns with a `[ … ]`
 * the index cannot file by value (it then meets every observation of its object types), or that can never
 * match (AND across object types).
 */
import type { Comparison, ComparisonExpression } from '../pattern/index.js';
import type { ActiveIndicator } from './indicator.js';
import { indexKeys } from './index-keys.js';

export type IndexWarningCode = 'unindexed-comparison' | 'never-matches';

export interface IndexWarning {
  readonly code: IndexWarningCode;
  readonly indicatorId: string;
  /** 0-based position of the `[ … ]` in the pattern, left to right. */
  readonly leaf: number;
  /** Offsets of that `[ … ]`'s comparison expression in the pattern text, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** The comparison expression as the pattern writes it. */
  readonly comparison: string;
  /** Why, and what it costs. */
  readonly message: string;
  /** What to change. */
  readonly hint: string;
}

/** One record per code: its title and its fix. */
export const indexWarningCatalog: Record<IndexWarningCode, { readonly title: string; readonly fix: string }> =
  {
    'unindexed-comparison': {
      title: 'Comparison expression the index cannot use',
      fix: "Add a comparison the index can look up to this [ … ] with AND (=, IN, LIKE with a literal prefix or suffix, or ISSUBSET with an IP network; e.g. … AND process:command_line LIKE 'curl %'); with OR, each side needs one.",
    },
    'never-matches': {
      title: 'Comparison expression no object can satisfy',
      fix: 'Comparisons joined by AND must hold for one object: split them into [ … ] AND [ … ], or follow a reference (process:image_ref.name).',
    },
  };

/** Why one comparison has no key, by operator. */
function whyNoKey(comparison: Comparison): string {
  if (comparison.negated) return 'NOT holds for nearly every value';
  switch (comparison.operator) {
    case '!=':
      return '!= holds for every other value';
    case '<':
    case '>':
    case '<=':
    case '>=':
      return `${comparison.operator} is a range, not a value to look up`;
    case 'MATCHES':
      return 'a regular expression names no value to look up';
    case 'EXISTS':
      return 'EXISTS names no value';
    case 'LIKE':
      return 'the LIKE pattern has no literal prefix or suffix';
    case 'ISSUBSET':
      return 'ISSUBSET is looked up only with an IP network';
    case 'ISSUPERSET':
      return 'ISSUPERSET is not looked up';
    case '=':
    case 'IN':
      return 'timestamps and integers beyond 2^53 are compared, not looked up';
  }
}

/** The comparison that keeps an unindexable expression from having keys (OR: a side without; AND: both lack). */
function blockingComparison(expression: ComparisonExpression): Comparison {
  if (expression.kind === 'comparison') return expression;
  const leftBlocks = indexKeys(expression.left) === undefined;
  return blockingComparison(leftBlocks ? expression.left : expression.right);
}

function unindexedMessage(indicator: ActiveIndicator, leaf: ComparisonExpression, position: number): string {
  const blocking = blockingComparison(leaf);
  const types = indicator.leafCompiled[position]?.objectTypes.join(' or ') ?? '';
  return (
    `[ … ] number ${position + 1} cannot be indexed: ${whyNoKey(blocking)} (${indicator.pattern.slice(blocking.start, blocking.end)}). ` +
    `It is tested against every observation with an object of type ${types}, not only those that hold a value it names.`
  );
}

/** The warnings of one indicator, in the order of its `[ … ]`. */
export function indicatorIndexWarnings(indicator: ActiveIndicator): IndexWarning[] {
  const warnings: IndexWarning[] = [];
  indicator.shape.leaves.forEach((leaf, position) => {
    const never = indicator.leafCompiled[position]?.objectTypes.length === 0;
    if (!never && indexKeys(leaf) !== undefined) return;
    const code: IndexWarningCode = never ? 'never-matches' : 'unindexed-comparison';
    warnings.push({
      code,
      indicatorId: indicator.id,
      leaf: position,
      start: leaf.start,
      end: leaf.end,
      comparison: indicator.pattern.slice(leaf.start, leaf.end),
      message: never
        ? `[ … ] number ${position + 1} joins comparisons on different object types with AND; no single object can satisfy it, so the indicator never matches through it.`
        : unindexedMessage(indicator, leaf, position),
      hint: indexWarningCatalog[code].fix,
    });
  });
  return warnings;
}

export function indexWarnings(indicators: readonly ActiveIndicator[]): IndexWarning[] {
  return indicators.flatMap(indicatorIndexWarnings);
}
