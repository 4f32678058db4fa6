/**
 * Comparison expressions (the inside of `[ … ]`) compiled into predicates over one observation.
 *
 * STIX 2.1 Part 9 (comparison expressions): all comparisons of an observation expression are evaluated
 * against the same observed-data, and comparisons joined by AND must hold for the same object, the "root"
 * where the object path starts (references like `network-traffic:dst_ref.value` are how one expression
 * speaks of related objects). So `[file:name = 'a' AND ipv4-addr:value = '1.2.3.4']` never matches, while
 * OR holds when either side holds for some root. The reference matcher computes this as sets of root ids
 * per observation (intersected by AND, united by OR); testing each root against the whole boolean
 * expression is the same thing.
 *
 * A comparison holds for a root when some value its path selects passes the operator, NOT included: so
 * `file:name NOT = 'a'` and `file:name != 'a'` need a `name` to exist, and `[*]` means "some element".
 * `NOT EXISTS` holds for a root of the type whose path selects nothing. Deviation: the reference matcher has no
 * EXISTS handler: alone it behaves as EXISTS whatever NOT says, and joined by AND/OR it raises a TypeError.
 */
import type { Comparison, ComparisonExpression } from './ast.js';
import { compilePath } from './object-path.js';
import type { JsonObject, ObservationView } from './observations.js';
import { compileValueTest } from './operators.js';

/** One comparison expression, ready to test observations. */
export interface CompiledComparisonExpression {
  /** Whether some object of the observation satisfies the whole expression. */
  readonly test: (view: ObservationView) => boolean;
  /**
   * The object types a satisfying root can have (for indexing); empty when nothing can ever match, e.g. AND
   * across two object types.
   */
  readonly objectTypes: readonly string[];
}

type RootTest = (root: JsonObject, view: ObservationView) => boolean;

interface CompiledNode {
  readonly test: RootTest;
  readonly types: ReadonlySet<string>;
}

/** Compiles `[ … ]`'s inside; throws ConstantError (from ./operators.js) for an unusable constant. */
export function compileComparisonExpressionNode(
  expression: ComparisonExpression,
): CompiledComparisonExpression {
  const node = compileNode(expression);
  const types = [...node.types];
  const rootTest = node.test;
  const test = (view: ObservationView): boolean => {
    for (const type of types) {
      const roots = view.rootsByType.get(type);
      if (roots === undefined) continue;
      for (const root of roots) if (rootTest(root, view)) return true;
    }
    return false;
  };
  return { test, objectTypes: types };
}

function compileNode(expression: ComparisonExpression): CompiledNode {
  if (expression.kind === 'comparison') return compileComparison(expression);
  const left = compileNode(expression.left);
  const right = compileNode(expression.right);
  if (expression.operator === 'AND') {
    const types = new Set([...left.types].filter((type) => right.types.has(type)));
    return { test: (root, view) => left.test(root, view) && right.test(root, view), types };
  }
  const types = new Set([...left.types, ...right.types]);
  return { test: (root, view) => left.test(root, view) || right.test(root, view), types };
}

function compileComparison(comparison: Comparison): CompiledNode {
  const { objectType, steps } = comparison.path;
  const walk = compilePath(steps);
  const isType = (root: JsonObject): boolean => root.type === objectType;
  let test: RootTest;
  if (comparison.operator === 'EXISTS') {
    const anything = (): boolean => true;
    test = comparison.negated
      ? (root, view) => isType(root) && !walk(root, view, anything)
      : (root, view) => isType(root) && walk(root, view, anything);
  } else {
    const passes = compileValueTest(comparison.operator, comparison.value, comparison.negated);
    test = (root, view) => isType(root) && walk(root, view, passes);
  }
  return { test, types: new Set([objectType]) };
}
