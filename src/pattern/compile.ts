/**
 * The pattern compiler's public face: text → AST (the parser) → closures, once; then `match` as often as needed.
 */
import type { ComparisonExpression, Pattern } from './ast.js';
import { compileComparisonExpressionNode, type CompiledComparisonExpression } from './comparison.js';
import { diagnosticCatalog, type PatternDiagnosticCode } from './diagnostics.js';
import { PatternSyntaxError } from './errors.js';
import { compileObservationBindings } from './observation-expression.js';
import { readObservations } from './observation-input.js';
import { ConstantError } from './operators.js';
import { parsePattern } from './parser.js';
import type { StixVersion } from './tokens.js';

/** The STIX version a pattern is read in; one definition with the parser's. */
export type StixPatternVersion = StixVersion;

export interface CompileOptions {
  /** The pattern grammar and the observation input format; default '2.1'. */
  readonly stixVersion?: StixPatternVersion;
}

export interface CompiledPattern {
  readonly text: string;
  readonly ast: Pattern;
  readonly stixVersion: StixPatternVersion;
  /**
   * Whether the observations satisfy the pattern, as the reference matcher (stix2-matcher) decides:
   * STIX 2.1, a list of bundles (observed-data plus the SCOs their `object_refs` name); STIX 2.0, a list of
   * observed-data with embedded `objects`. Throws ObservationInputError for malformed input.
   */
  match(observations: readonly unknown[]): boolean;
  /**
   * Every distinct binding of the pattern over the observations (same input as `match`): the indexes, in
   * input order of the observed-data, that one way of satisfying the pattern uses. Lazy; may be many.
   * With `through`, only the bindings that use the observed-data at that index, found without enumerating
   * the others (except under REPEATS, where they are enumerated and filtered).
   */
  bindings(observations: readonly unknown[], options?: BindingsOptions): Iterable<ReadonlySet<number>>;
}

export interface BindingsOptions {
  /** The index (in the input) of an observed-data every binding must use. */
  readonly through?: number;
  /**
   * How many steps (an observation tested against a `[ … ]`, two bindings combined) the search may take;
   * past them the iteration throws SearchLimitError. Unlimited when absent.
   */
  readonly maxSteps?: number;
}

/**
 * Compiles a STIX pattern. Any string yields a CompiledPattern or a PatternSyntaxError (also for constants
 * that parse but cannot be used: a bad CIDR, a regular expression the linear-time engine cannot run, …).
 */
export function compilePattern(pattern: string, options: CompileOptions = {}): CompiledPattern {
  const stixVersion = options.stixVersion ?? '2.1';
  return compileParsedPattern(parsePattern(pattern, { stixVersion }), pattern, { stixVersion });
}

/**
 * Compiles a pattern `parsePattern` already read from `text` (in the same STIX version), for callers that
 * look at the AST first and compile only when they need to match with it. Throws PatternSyntaxError for an
 * unusable constant, as compilePattern does.
 */
export function compileParsedPattern(
  ast: Pattern,
  text: string,
  options: CompileOptions = {},
): CompiledPattern {
  const stixVersion = options.stixVersion ?? '2.1';
  const enumerate = withSyntaxErrors(text, () =>
    compileObservationBindings(ast, (leaf) => compileComparisonExpressionNode(leaf.comparison).test),
  );
  return {
    text,
    ast,
    stixVersion,
    match: (observations) => hasAny(enumerate(readObservations(observations, stixVersion))),
    bindings: (observations, options) =>
      enumerate(readObservations(observations, stixVersion), options?.through, options?.maxSteps),
  };
}

/** Compiles and matches in one call (compile once with compilePattern when matching repeatedly). */
export function matchPattern(
  pattern: string,
  observations: readonly unknown[],
  options: CompileOptions = {},
): boolean {
  return compilePattern(pattern, options).match(observations);
}

/**
 * Compiles the inside of one `[ … ]` into a predicate over an ObservationView (see createObservationView), for
 * engines that evaluate one event at a time. `patternText` (the text the AST came from) makes errors name the
 * offending token. Throws PatternSyntaxError for an unusable constant.
 */
export function compileComparisonExpression(
  expression: ComparisonExpression,
  options: { readonly patternText?: string } = {},
): CompiledComparisonExpression {
  return withSyntaxErrors(options.patternText ?? '', () => compileComparisonExpressionNode(expression));
}

function hasAny(items: Iterable<unknown>): boolean {
  for (const _item of items) return true;
  return false;
}

function withSyntaxErrors<T>(text: string, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (!(error instanceof ConstantError)) throw error;
    const { start, end } = error.span;
    throw new PatternSyntaxError(`column ${start + 1}: ${error.message}`, {
      offset: start,
      token: text.slice(start, end),
      code: 'invalid-constant' satisfies PatternDiagnosticCode,
      end,
      hint: diagnosticCatalog['invalid-constant'].fix,
    });
  }
}
