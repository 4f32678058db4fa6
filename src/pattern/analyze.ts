/**
 * analyzePattern: every syntax error (with recovery) and, for a valid pattern, warnings about what is legal
 * but can never match or is suspicious. Never throws.
 */
import type {
  ComparisonBinary,
  ComparisonExpression,
  ObjectPath,
  ObservationExpression,
  Pattern,
  Qualifier,
  Span,
} from './ast.js';
import { compilePattern } from './compile.js';
import { createDiagnostic, type PatternDiagnostic } from './diagnostics.js';
import { PatternSyntaxError } from './errors.js';
import { parseWithDiagnostics, type ParseOptions } from './parser.js';
import type { StixVersion } from './tokens.js';
import { checkObjectPath, formatSteps } from './vocabulary/check-path.js';
import { scoTypeRecord } from './vocabulary/stix21-sco.js';

export interface PatternAnalysis {
  /** Null when the pattern has an error. */
  readonly pattern: Pattern | null;
  /** Errors and warnings, in the order of their position in the pattern. */
  readonly diagnostics: readonly PatternDiagnostic[];
}

export function analyzePattern(text: string, options: ParseOptions = {}): PatternAnalysis {
  const version = options.stixVersion ?? '2.1';
  const parsed = parseWithDiagnostics(text, { stixVersion: version });
  const diagnostics = [...parsed.diagnostics];
  const compileError = parsed.pattern === null ? undefined : compileErrorOf(text, version);
  if (compileError !== undefined) diagnostics.push(compileError);
  else if (parsed.pattern !== null)
    diagnostics.push(...new WarningCollector(version).collect(parsed.pattern));
  const ordered = diagnostics
    .map((diagnostic, index) => ({ diagnostic, index }))
    .sort((a, b) => a.diagnostic.start - b.diagnostic.start || a.index - b.index)
    .map(({ diagnostic }) => diagnostic);
  return { pattern: compileError === undefined ? parsed.pattern : null, diagnostics: ordered };
}

/**
 * What the compiler rejects in a grammatical pattern: a regular expression the linear-time engine cannot
 * run, a malformed CIDR, … (compilePattern throws nothing but PatternSyntaxError).
 */
function compileErrorOf(text: string, stixVersion: StixVersion): PatternDiagnostic | undefined {
  try {
    compilePattern(text, { stixVersion });
    return undefined;
  } catch (error) {
    if (!(error instanceof PatternSyntaxError)) throw error;
    const message = error.message.replace(/ \(column \d+\)$/, '').replace(/^column \d+: /, '');
    return createDiagnostic('invalid-constant', { start: error.offset, end: error.end }, message, error.hint);
  }
}

class WarningCollector {
  private readonly warnings: PatternDiagnostic[] = [];
  /** Each unknown object type is reported once. */
  private readonly reportedTypes = new Set<string>();

  constructor(private readonly version: StixVersion) {}

  collect(pattern: Pattern): PatternDiagnostic[] {
    this.observation(pattern);
    return this.warnings;
  }

  private observation(expression: ObservationExpression): void {
    switch (expression.kind) {
      case 'observation':
        this.objectTypesOf(expression.comparison);
        return;
      case 'observation-binary':
        this.observation(expression.left);
        this.observation(expression.right);
        return;
      case 'observation-qualified':
        this.qualifierChain(expression);
        return;
    }
  }

  /** `X q1 q2 …`: each qualifier with the expression it applies to, then X. */
  private qualifierChain(outermost: ObservationExpression & { kind: 'observation-qualified' }): void {
    let inner: ObservationExpression = outermost;
    while (inner.kind === 'observation-qualified') {
      this.qualifier(inner.qualifier, inner.expression);
      inner = inner.expression;
    }
    this.observation(inner);
  }

  private qualifier(qualifier: Qualifier, target: ObservationExpression): void {
    if (qualifier.kind === 'repeats' && qualifier.times === 1) {
      this.warn('repeats-once', qualifier, 'REPEATS 1 TIMES is the same as no qualifier');
    }
    if (qualifier.kind === 'within' && observationCount(target) <= 1) {
      this.warn(
        'within-single-observation',
        qualifier,
        'WITHIN applies only to the single observation expression before it: qualifiers bind tighter than AND, OR and FOLLOWEDBY',
      );
    }
    if (qualifier.kind === 'start-stop' && !(qualifier.startTime.value < qualifier.stopTime.value)) {
      const same = qualifier.startTime.value === qualifier.stopTime.value;
      this.warn(
        'start-not-before-stop',
        qualifier,
        same
          ? 'START equals STOP: STOP is exclusive, so no time is inside the window and this never matches'
          : 'START is after STOP: no time is inside the window, so this never matches',
      );
    }
  }

  /**
   * The object types a comparison expression can hold for. AND needs one object for both sides, so it takes
   * the intersection; an empty intersection of two non-empty sides never matches and is reported.
   */
  private objectTypesOf(expression: ComparisonExpression): ReadonlySet<string> {
    if (expression.kind === 'comparison') {
      this.path(expression.path);
      return new Set([expression.path.objectType]);
    }
    const left = this.objectTypesOf(expression.left);
    const right = this.objectTypesOf(expression.right);
    if (expression.operator === 'OR') return new Set([...left, ...right]);
    const both = new Set([...left].filter((type) => right.has(type)));
    if (both.size === 0 && left.size > 0 && right.size > 0) this.andAcrossTypes(expression, left, right);
    return both;
  }

  private andAcrossTypes(
    expression: ComparisonBinary,
    left: ReadonlySet<string>,
    right: ReadonlySet<string>,
  ): void {
    const leftTypes = [...left].map((t) => `'${t}'`).join(' or ');
    const rightTypes = [...right].map((t) => `'${t}'`).join(' or ');
    const references = this.version === '2.1' ? referenceSuggestions(expression, left, right) : [];
    const split = `separate observation expressions match separate objects: [${[...left][0] ?? ''}:…] AND [${[...right][0] ?? ''}:…]`;
    const hint =
      references.length > 0
        ? `To reach the related object, use a reference path such as ${references.join(' or ')}; ${split}.`
        : `Write two observation expressions; ${split}.`;
    this.warn(
      'and-across-types',
      expression,
      `comparisons joined by AND must all hold for one object, but ${leftTypes} and ${rightTypes} are different object types: this never matches`,
      hint,
    );
  }

  private path(path: ObjectPath): void {
    // The vocabulary is STIX 2.1's; STIX 2.0 objects differ (process:name, file:created, …).
    if (this.version !== '2.1') return;
    const finding = checkObjectPath(path);
    if (finding === undefined) return;
    if (finding.code === 'unknown-object-type') {
      if (this.reportedTypes.has(path.objectType)) return;
      this.reportedTypes.add(path.objectType);
    }
    this.warn(finding.code, finding, finding.message, finding.hint);
  }

  private warn(
    code: Parameters<typeof createDiagnostic>[0],
    span: Span,
    message: string,
    hint?: string,
  ): void {
    this.warnings.push(createDiagnostic(code, span, message, hint));
  }
}

/** How many observations an expression binds at least (REPEATS n counts n). */
function observationCount(expression: ObservationExpression): number {
  switch (expression.kind) {
    case 'observation':
      return 1;
    case 'observation-binary':
      return expression.operator === 'OR'
        ? Math.min(observationCount(expression.left), observationCount(expression.right))
        : observationCount(expression.left) + observationCount(expression.right);
    case 'observation-qualified':
      return expression.qualifier.kind === 'repeats'
        ? expression.qualifier.times * observationCount(expression.expression)
        : observationCount(expression.expression);
  }
}

/**
 * Reference paths from one side's object type to the other's: for `process:… AND file:name = 'y'`,
 * `process:image_ref.name`. Built from the first comparison of the other side.
 */
function referenceSuggestions(
  expression: ComparisonBinary,
  left: ReadonlySet<string>,
  right: ReadonlySet<string>,
): string[] {
  const suggestions: string[] = [];
  const add = (from: ReadonlySet<string>, to: ReadonlySet<string>, side: ComparisonExpression): void => {
    const example = firstPath(side);
    for (const type of from) {
      const properties = scoTypeRecord(type)?.properties ?? {};
      for (const [name, shape] of Object.entries(properties)) {
        if (!shape.refersTo?.some((target) => to.has(target))) continue;
        const rest = example === undefined ? '…' : formatSteps(example.steps);
        suggestions.push(`${type}:${name}${name.endsWith('_refs') ? '[*]' : ''}.${rest}`);
      }
    }
  };
  add(left, right, expression.right);
  add(right, left, expression.left);
  return suggestions.slice(0, 3);
}

function firstPath(expression: ComparisonExpression): ObjectPath | undefined {
  let node = expression;
  while (node.kind === 'comparison-binary') node = node.left;
  return node.path;
}
