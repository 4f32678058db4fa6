/**
 * What every part of the parser shares: the token cursor, and errors reported through one
 * `fail(expected)` ("expected X, found Y") that aborts to the nearest recovery point, with cascades
 * (a second error at one spot, errors after the end) dropped. The grammar is in parser.ts, constants and
 * qualifiers in parse-constants.ts.
 */
import type { Span } from './ast.js';
import {
  classifyMistake,
  createDiagnostic,
  joinAlternatives,
  type PatternDiagnostic,
  type PatternDiagnosticCode,
} from './diagnostics.js';
import { PatternSyntaxError } from './errors.js';
import { describeToken, type StixVersion, type Token, TokenCursor, type TokenKind } from './tokens.js';

const expectedOf = new WeakMap<PatternDiagnostic, readonly string[]>();

export function toSyntaxError(text: string, diagnostic: PatternDiagnostic | undefined): PatternSyntaxError {
  if (diagnostic === undefined) {
    return new PatternSyntaxError('column 1: not a pattern', { offset: 0, token: text.slice(0, 1) });
  }
  return new PatternSyntaxError(`column ${diagnostic.start + 1}: ${diagnostic.message}`, {
    offset: diagnostic.start,
    token: text.slice(diagnostic.start, diagnostic.end),
    expected: expectedOf.get(diagnostic) ?? [],
    code: diagnostic.code,
    end: diagnostic.end,
    ...(diagnostic.hint === undefined ? {} : { hint: diagnostic.hint }),
  });
}

/** Thrown inside the parser after an error has been reported; caught where the parser resynchronises. */
class Abort extends Error {
  constructor() {
    super('parse aborted');
  }
}

/**
 * One shared instance: constructing an Error captures a stack trace (~10 µs, more on a deep stack), far too
 * slow when recovering from thousands of errors in hostile input; throwing an existing one costs nothing.
 */
const ABORT = new Abort();

export interface FailOptions {
  readonly code?: PatternDiagnosticCode;
  readonly message?: string;
  readonly hint?: string;
  readonly span?: Span;
}

/** Deepest nesting of brackets, parentheses and operator chains the parser accepts (a stack guard). */
export const MAX_NESTING_DEPTH = 1000;

export function isAbort(error: unknown): boolean {
  return error instanceof Abort;
}

export abstract class ParserCore extends TokenCursor {
  private depth = 0;
  /** Where the last error was reported; a second error at the same token is a cascade and is dropped. */
  private lastErrorAt = -1;
  /** Set after an error at the end or too deep a nesting: the parser is at the end and reports nothing more. */
  protected stopped = false;
  protected readonly diagnostics: PatternDiagnostic[];

  constructor(
    readonly text: string,
    tokens: readonly Token[],
    readonly version: StixVersion,
    lexical: readonly PatternDiagnostic[],
  ) {
    super(tokens);
    this.diagnostics = [...lexical];
    // An unterminated string or comment swallows the rest, closing brackets included: errors at the end are cascades.
    const swallowed = lexical.some(
      (d) => d.code === 'unterminated-string' || d.code === 'unterminated-comment',
    );
    if (swallowed) this.lastErrorAt = text.length;
  }

  /** Consumes a token of `kind`, or fails with "expected <what>, found <token>". */
  expect(kind: TokenKind, what = `'${kind}'`): Token {
    const token = this.eat(kind);
    if (token !== undefined) return token;
    return this.fail([what]);
  }

  // ── Errors ──────────────────────────────────────────────────────────────────

  /** Reports an error at the current token (unless it is a cascade) and aborts to the nearest recovery point. */
  fail(expected: readonly string[], options: FailOptions = {}): never {
    this.report(expected, options);
    throw ABORT;
  }

  report(expected: readonly string[], options: FailOptions = {}): void {
    if (this.stopped) return;
    const token = this.current;
    const span = options.span ?? token;
    // The lexer has already reported invalid tokens; a second error at one spot is a cascade.
    if (token.kind === 'invalid' && options.span === undefined) return;
    if (span.start === this.lastErrorAt) return;
    this.lastErrorAt = span.start;
    const mistake = options.code === undefined ? classifyMistake(token, expected, this.version) : undefined;
    const code = options.code ?? mistake?.code ?? 'unexpected-token';
    const message =
      options.message ?? `expected ${joinAlternatives(expected)}, found ${describeToken(token)}`;
    const diagnostic = createDiagnostic(code, span, message, options.hint ?? mistake?.hint);
    expectedOf.set(diagnostic, expected);
    this.diagnostics.push(diagnostic);
    // After an error at the end of the input nothing more can be found; stopping spares the unwinding.
    if (token.kind === 'end') this.stop();
  }

  warn(code: PatternDiagnosticCode, span: Span, message: string, hint?: string): void {
    this.diagnostics.push(createDiagnostic(code, span, message, hint));
  }

  /** Expects `]` or `)`; reaching the end instead is an unbalanced bracket. */
  protected expectClosing(kind: ']' | ')', open: Token, expected: readonly string[] = [`'${kind}'`]): Token {
    const token = this.eat(kind);
    if (token !== undefined) return token;
    if (this.at('end')) {
      this.fail(expected, {
        code: 'unbalanced-brackets',
        message: `'${open.text}' at column ${open.start + 1} is never closed: expected ${joinAlternatives(expected)}, found end of pattern`,
      });
    }
    return this.fail(expected);
  }

  /**
   * Runs `parse` one nesting level deeper. Past MAX_NESTING_DEPTH the parse stops: it skips to the end and
   * every level returns null without throwing, because throwing through a deep stack is slow.
   */
  protected nested<T>(parse: () => T | null): T | null {
    if (this.depth >= MAX_NESTING_DEPTH) {
      this.report([], {
        code: 'nesting-too-deep',
        message: `pattern is nested more than ${MAX_NESTING_DEPTH} levels deep`,
      });
      this.stop();
      return null;
    }
    this.depth += 1;
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  /** Nothing more can be found: skip to the end and report nothing else. */
  protected stop(): void {
    this.stopped = true;
    this.skipToEnd();
  }
}
