import type { ComparisonExpression, ObservationExpression } from '../pattern/index.js';

/** What the engine needs to know of a pattern's structure to evaluate it on a stream. */
export interface PatternShape {
  /** The comparison expression of every `[ … ]` in the pattern, left to right. */
  readonly leaves: readonly ComparisonExpression[];
  /** True when one observation can satisfy the whole pattern alone, and nothing needs to be remembered. */
  readonly singleObservation: boolean;
  /** How far apart (ms) the observations of one match can be; undefined when no WITHIN bounds it. */
  readonly horizonMs: number | undefined;
  /**
   * Whether observations that satisfy the `[ … ]` of `present` (bit i: leaf i) could complete the pattern
   * at all: a necessary condition only (REPEATS, times and distinctness are left to the full evaluation).
   * Undefined past 30 leaves, where leaves no longer fit the bits of a number.
   */
  readonly completable: ((present: number) => boolean) | undefined;
}

/** Leaves a bit mask can hold (bit 30 is the last below the sign bit). */
const MAX_MASK_LEAVES = 30;

/** `completable` of an expression whose first leaf is leaf `next.index` (advanced past its leaves). */
function completableOf(
  expression: ObservationExpression,
  next: { index: number },
): (present: number) => boolean {
  switch (expression.kind) {
    case 'observation': {
      const bit = 1 << next.index;
      next.index += 1;
      return (present) => (present & bit) !== 0;
    }
    case 'observation-binary': {
      const left = completableOf(expression.left, next);
      const right = completableOf(expression.right, next);
      return expression.operator === 'OR'
        ? (present) => left(present) || right(present)
        : (present) => left(present) && right(present);
    }
    case 'observation-qualified':
      return completableOf(expression.expression, next);
  }
}

function leavesOf(expression: ObservationExpression, out: ComparisonExpression[]): void {
  switch (expression.kind) {
    case 'observation':
      out.push(expression.comparison);
      return;
    case 'observation-binary':
      leavesOf(expression.left, out);
      leavesOf(expression.right, out);
      return;
    case 'observation-qualified':
      leavesOf(expression.expression, out);
      return;
  }
}

/** A single `[ … ]`, possibly qualified by START/STOP, WITHIN or REPEATS 1, which bind one observation. */
function isSingle(expression: ObservationExpression): boolean {
  if (expression.kind === 'observation') return true;
  if (expression.kind === 'observation-binary') return false;
  const { qualifier } = expression;
  if (qualifier.kind === 'repeats' && qualifier.times > 1) return false;
  return isSingle(expression.expression);
}

/** A WITHIN bounds everything below it; without one, observations of a match may be any distance apart. */
function horizonOf(expression: ObservationExpression): number | undefined {
  if (expression.kind === 'observation') return 0;
  if (expression.kind === 'observation-binary') return undefined;
  const inner = horizonOf(expression.expression);
  if (expression.qualifier.kind !== 'within')
    return expression.qualifier.kind === 'repeats' ? undefined : inner;
  const within = expression.qualifier.seconds * 1000;
  return inner === undefined ? within : Math.min(inner, within);
}

export function patternShape(pattern: ObservationExpression): PatternShape {
  const leaves: ComparisonExpression[] = [];
  leavesOf(pattern, leaves);
  return {
    leaves,
    singleObservation: isSingle(pattern),
    horizonMs: horizonOf(pattern),
    completable: leaves.length <= MAX_MASK_LEAVES ? completableOf(pattern, { index: 0 }) : undefined,
  };
}
