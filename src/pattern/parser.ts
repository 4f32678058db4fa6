/**
 * The parser: tokens → the AST of `ast.ts`, collecting every syntax error it can find.
 * Errors are reported through one `fail(expected)` ("expected X, found Y"); the parser then skips to a
 * synchronisation token (`]`, `)`, AND, OR, FOLLOWEDBY) and carries on, so one run reports several errors.
 */
import type {
  Comparison,
  ComparisonExpression,
  ComparisonOperator,
  ObjectPath,
  ObservationExpression,
  Pattern,
  PathStep,
  Qualifier,
  Span,
} from './ast.js';
import type { PatternDiagnostic } from './diagnostics.js';
import { tokenize } from './lexer.js';
import {
  comparisonPrecedence,
  observationPrecedence,
  type PrecedenceTable,
  type StixVersion,
  type TokenKind,
} from './tokens.js';
import { ConstantParser } from './parse-constants.js';
import { isAbort, MAX_NESTING_DEPTH, toSyntaxError } from './parser-core.js';

export interface ParseOptions {
  readonly stixVersion?: StixVersion;
}

export { MAX_NESTING_DEPTH };

export interface ParseResult {
  /** Null when there is any error. */
  readonly pattern: Pattern | null;
  /** Errors and the parser's own warnings (operator aliases), in the order found. */
  readonly diagnostics: readonly PatternDiagnostic[];
}

/**
 * Parses a STIX pattern. Throws a PatternSyntaxError for the first error (1-based column, offending token,
 * expected list), and nothing else, whatever the input.
 */
export function parsePattern(text: string, options: ParseOptions = {}): Pattern {
  const result = parseWithDiagnostics(text, options);
  // The first error by position (recovery may report an enclosing error after the ones inside it).
  const first = result.diagnostics
    .filter((d) => d.severity === 'error')
    .reduce<PatternDiagnostic | undefined>(
      (earliest, d) => (earliest === undefined || d.start < earliest.start ? d : earliest),
      undefined,
    );
  if (first !== undefined || result.pattern === null) throw toSyntaxError(text, first);
  return result.pattern;
}

/** Parses and returns every error found (with recovery) instead of throwing. */
export function parseWithDiagnostics(text: string, options: ParseOptions = {}): ParseResult {
  const version = options.stixVersion ?? '2.1';
  const lexed = tokenize(text, version);
  const parser = new Parser(text, lexed.tokens, version, lexed.diagnostics);
  return parser.parse();
}

const COMPARISON_SYNC: ReadonlySet<TokenKind> = new Set(['AND', 'OR', ']', ')', 'FOLLOWEDBY', 'end']);
const OBSERVATION_SYNC: ReadonlySet<TokenKind> = new Set(['AND', 'OR', 'FOLLOWEDBY', ')', '[', 'end']);
/** The comparison operators that take a value; the token kind is the operator (`==` and `<>` lex as = and !=). */
const VALUE_OPERATORS: ReadonlySet<TokenKind> = new Set<ComparisonOperator>([
  '=',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  'IN',
  'LIKE',
  'MATCHES',
  'ISSUBSET',
  'ISSUPERSET',
]);
function isValueOperator(kind: TokenKind): kind is TokenKind & ComparisonOperator {
  return VALUE_OPERATORS.has(kind);
}
const OPERATOR_NAMES = [...VALUE_OPERATORS].map((operator) => `'${operator}'`);

class Parser extends ConstantParser {
  // ── Patterns ────────────────────────────────────────────────────────────────

  parse(): ParseResult {
    let pattern: Pattern | null;
    try {
      pattern = this.observationExpression();
      while (!this.at('end')) pattern = this.recoverAtTopLevel();
    } catch (error) {
      if (!isAbort(error)) throw error;
      pattern = null;
    }
    if (pattern !== null) checkTreeDepth(pattern, this);
    const failed = this.diagnostics.some((d) => d.severity === 'error');
    return { pattern: failed ? null : pattern, diagnostics: this.diagnostics };
  }

  /** Text left after a whole pattern: report it, skip to something that can start again, and parse on. */
  private recoverAtTopLevel(): null {
    this.report(["'AND'", "'OR'", "'FOLLOWEDBY'", 'a qualifier', 'end of pattern']);
    this.advance();
    this.skipUntil(OBSERVATION_SYNC);
    if (this.at('AND') || this.at('OR') || this.at('FOLLOWEDBY')) this.advance();
    if (this.at('[') || this.at('(')) this.observationExpression();
    return null;
  }

  /** Observation expressions joined by AND, OR, FOLLOWEDBY (one precedence-climbing function, see `binary`). */
  private observationExpression(): ObservationExpression | null {
    return this.binary(
      observationPrecedence,
      1,
      () => this.observationOperand(),
      (operator, left, right) => ({
        kind: 'observation-binary',
        operator,
        left,
        right,
        start: left.start,
        end: right.end,
      }),
    );
  }

  /**
   * Precedence climbing: an operand, then operators of at least `minimum` precedence, each with a right
   * operand parsed at the next precedence level. Left-associative; the loop keeps long chains off the stack.
   */
  private binary<Operator extends string, Node extends Span>(
    table: PrecedenceTable<Operator>,
    minimum: number,
    operand: () => Node | null,
    combine: (operator: Operator, left: Node, right: Node) => Node,
  ): Node | null {
    let left = operand();
    for (;;) {
      const entry = table[this.current.kind];
      if (entry === undefined || entry.precedence < minimum) return left;
      this.advance();
      const right = this.binary(table, entry.precedence + 1, operand, combine);
      left = left !== null && right !== null ? combine(entry.operator, left, right) : null;
    }
  }

  /** `[ … ]` or `( … )`, then any qualifiers; on error, skip to the next observation-level token. */
  private observationOperand(): ObservationExpression | null {
    try {
      let expression = this.observationAtom();
      const kinds = new Set<Qualifier['kind']>();
      while (this.at('WITHIN') || this.at('REPEATS') || this.at('START')) {
        const keyword = this.current;
        const qualifier = this.qualifier();
        // STIX 2.1 §9.5.1: an observation expression MUST NOT have more than one qualifier of a type.
        if (kinds.has(qualifier.kind)) {
          this.report([], {
            code: 'duplicate-qualifier',
            message: `a second ${keyword.text} qualifier on the same observation expression`,
            span: keyword,
          });
        }
        kinds.add(qualifier.kind);
        expression =
          expression === null
            ? null
            : {
                kind: 'observation-qualified',
                expression,
                qualifier,
                start: expression.start,
                end: qualifier.end,
              };
      }
      return expression;
    } catch (error) {
      if (!isAbort(error)) throw error;
      this.skipUntil(OBSERVATION_SYNC);
      return null;
    }
  }

  private observationAtom(): ObservationExpression | null {
    const token = this.current;
    if (token.kind === '[') return this.bracketed();
    if (token.kind === '(') {
      return this.nested(() => {
        this.advance();
        const inner = this.observationExpression();
        if (this.stopped) return null;
        this.expectClosing(')', token);
        return inner;
      });
    }
    if (token.kind === 'identifier' && this.peek().kind === ':') return this.bracketsMissing();
    if (token.kind === 'NOT' && (this.peek().kind === '[' || this.peek().kind === '(')) {
      return this.fail(["'['", "'('"], {
        hint: "Observation expressions cannot be negated; negate a comparison inside: [file:name NOT = 'a'].",
      });
    }
    if (token.kind === 'EXISTS' || token.kind === 'NOT') return this.bracketsMissing();
    return this.fail(["'['", "'('"]);
  }

  /** `[ comparison-expression ]`; an error inside skips to the closing bracket. */
  private bracketed(): ObservationExpression | null {
    const open = this.advance();
    return this.nested(() => {
      try {
        const comparison = this.comparisonExpression();
        if (this.stopped) return null;
        const close = this.expectClosing(']', open, ["'AND'", "'OR'", "']'"]);
        if (comparison === null) return null;
        return { kind: 'observation', comparison, start: open.start, end: close.end };
      } catch (error) {
        if (!isAbort(error)) throw error;
        this.skipUntil(new Set<TokenKind>([']', 'FOLLOWEDBY', '[', 'end']));
        this.eat(']');
        return null;
      }
    });
  }

  /** A comparison where an observation expression belongs: report once, parse it as if bracketed. */
  private bracketsMissing(): null {
    const start = this.current.start;
    this.comparisonExpression();
    const strayClose = this.eat(']');
    const end = strayClose?.end ?? this.previousEnd();
    const message = strayClose
      ? "comparison has a ']' but no '[' before it"
      : "comparisons must be inside square brackets '[' … ']'";
    this.report([], { code: 'missing-brackets', message, span: { start, end } });
    return null;
  }

  // ── Comparison expressions ──────────────────────────────────────────────────

  private comparisonExpression(): ComparisonExpression | null {
    return this.binary(
      comparisonPrecedence,
      1,
      () => this.comparisonOperand(),
      (operator, left, right) => ({
        kind: 'comparison-binary',
        operator,
        left,
        right,
        start: left.start,
        end: right.end,
      }),
    );
  }

  /** `( … )`, `[NOT] EXISTS path`, or `path [NOT] operator value`; on error, skip to a comparison-level token. */
  private comparisonOperand(): ComparisonExpression | null {
    try {
      const token = this.current;
      if (token.kind === '(') {
        return this.nested(() => {
          this.advance();
          const inner = this.comparisonExpression();
          if (this.stopped) return null;
          this.expectClosing(')', token, ["'AND'", "'OR'", "')'"]);
          return inner;
        });
      }
      if (token.kind === 'EXISTS' || (token.kind === 'NOT' && this.version === '2.1'))
        return this.existsTest();
      return this.propertyTest();
    } catch (error) {
      if (!isAbort(error)) throw error;
      this.skipUntil(COMPARISON_SYNC);
      return null;
    }
  }

  /** `[NOT] EXISTS path`; a NOT at the start of a comparison can only be followed by EXISTS. */
  private existsTest(): Comparison {
    const start = this.current.start;
    const negated = this.eat('NOT') !== undefined;
    if (!this.at('EXISTS')) {
      this.fail(["'EXISTS'"], { hint: "NOT goes between the path and the operator: file:name NOT = 'a'." });
    }
    this.advance();
    const path = this.objectPath();
    return { kind: 'comparison', operator: 'EXISTS', negated, path, value: null, start, end: path.end };
  }

  private propertyTest(): Comparison {
    if (this.version === '2.0' && this.current.kind === 'identifier' && this.current.text === 'EXISTS') {
      this.fail([], { code: 'not-in-version', message: 'EXISTS is not part of STIX 2.0 patterns' });
    }
    const path = this.objectPath();
    const negated = this.eat('NOT') !== undefined;
    const operatorToken = this.current;
    const operator = operatorToken.kind;
    if (!isValueOperator(operator)) return this.noOperator(path);
    this.advance();
    if (operatorToken.text === '==' || operatorToken.text === '<>') {
      const standard = operator === '=' ? '=' : '!=';
      this.warn(
        'operator-alias',
        operatorToken,
        `'${operatorToken.text}' is not in the specification; write '${standard}'`,
      );
    }
    const value =
      operator === 'IN' ? this.setConstant(operatorToken) : this.constant(operatorToken, operator);
    return { kind: 'comparison', operator, negated, path, value, start: path.start, end: value.end };
  }

  // ── Object paths ────────────────────────────────────────────────────────────

  /** `type:property`, then `.property`, `.'quoted'`, `[n]` or `[*]` steps. */
  objectPath(): ObjectPath {
    const typeToken = this.expect('identifier', 'an object type');
    this.expect(':', "':'");
    const steps: PathStep[] = [this.propertyStep()];
    for (;;) {
      if (this.eat('.') !== undefined) steps.push(this.propertyStep());
      else if (this.at('[')) steps.push(this.indexStep());
      else break;
    }
    const last = steps[steps.length - 1] ?? typeToken;
    return { objectType: typeToken.text, steps, start: typeToken.start, end: last.end };
  }

  private propertyStep(): PathStep {
    const token = this.current;
    if (token.kind === 'string') {
      this.advance();
      return { kind: 'property', name: token.value ?? '', start: token.start, end: token.end };
    }
    if (token.kind !== 'identifier') return this.fail(['a property name']);
    this.advance();
    if (token.hyphenated === true) {
      this.report([], {
        code: 'hyphen-in-property',
        message: `property name '${token.text}' contains a hyphen`,
        hint: `Quote it: '${token.text}'.`,
        span: token,
      });
    }
    return { kind: 'property', name: token.text, start: token.start, end: token.end };
  }

  private indexStep(): PathStep {
    const open = this.advance();
    const star = this.eat('*');
    const index = star === undefined ? this.eat('integer') : undefined;
    if (star === undefined && index === undefined) return this.fail(["'*'", 'an integer index']);
    const close = this.expect(']', "']'");
    if (star !== undefined) return { kind: 'any', start: open.start, end: close.end };
    return { kind: 'index', index: Number(index?.text), start: open.start, end: close.end };
  }

  private noOperator(path: ObjectPath): never {
    const token = this.current;
    const isExists = token.kind === 'EXISTS' || (this.version === '2.0' && token.text === 'EXISTS');
    if (isExists && this.version === '2.1') {
      const pathText = this.text.slice(path.start, path.end);
      this.fail(OPERATOR_NAMES, {
        code: 'exists-after-path',
        message: `EXISTS comes before the object path, not after it`,
        hint: `Write EXISTS ${pathText}.`,
      });
    }
    if (isExists)
      this.fail([], { code: 'not-in-version', message: 'EXISTS is not part of STIX 2.0 patterns' });
    return this.fail(OPERATOR_NAMES);
  }
}

/**
 * Long AND/OR/FOLLOWEDBY chains build deep (left-leaning) trees; past MAX_NESTING_DEPTH they are refused,
 * so that every walker of the tree (compiler, analyses) may recurse safely. Iterative, to be safe itself.
 */
function checkTreeDepth(pattern: Pattern, parser: Parser): void {
  const stack: { node: TreeNode; depth: number }[] = [{ node: pattern, depth: 1 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item.depth > MAX_NESTING_DEPTH) {
      parser.report([], {
        code: 'nesting-too-deep',
        message: `pattern is nested or chained more than ${MAX_NESTING_DEPTH} levels deep`,
        span: item.node,
      });
      return;
    }
    for (const child of childrenOf(item.node)) stack.push({ node: child, depth: item.depth + 1 });
  }
}

type TreeNode = ObservationExpression | ComparisonExpression;

function childrenOf(node: TreeNode): readonly TreeNode[] {
  switch (node.kind) {
    case 'observation-binary':
    case 'comparison-binary':
      return [node.left, node.right];
    case 'observation-qualified':
      return [node.expression];
    case 'observation':
      return [node.comparison];
    case 'comparison':
      return [];
  }
}
