/**
 * The tokens of the STIX patterning language, the keyword tables of each STIX version,
 * and the precedence tables of the binary operators.
 */
import type { Constant, ObservationOperator, Span } from './ast.js';

export type StixVersion = '2.0' | '2.1';

export type KeywordKind =
  | 'AND'
  | 'OR'
  | 'NOT'
  | 'FOLLOWEDBY'
  | 'LIKE'
  | 'MATCHES'
  | 'ISSUPERSET'
  | 'ISSUBSET'
  | 'EXISTS'
  | 'LAST'
  | 'IN'
  | 'START'
  | 'STOP'
  | 'SECONDS'
  | 'WITHIN'
  | 'REPEATS'
  | 'TIMES';

export type LiteralKind = 'string' | 'integer' | 'float' | 'boolean' | 'timestamp' | 'binary' | 'hex';

export type PunctuationKind =
  '=' | '!=' | '<' | '<=' | '>' | '>=' | ':' | '.' | ',' | '(' | ')' | '[' | ']' | '*';

export type TokenKind =
  | KeywordKind
  | LiteralKind
  | PunctuationKind
  /** `[a-zA-Z_][a-zA-Z0-9_-]*` that is not a keyword; see `Token.hyphenated`. */
  | 'identifier'
  /** A character the grammar knows but never accepts (`+ - ^ /` on their own). */
  | 'other'
  /** Text the lexer could not read; the lexer has already reported it. */
  | 'invalid'
  | 'end';

export interface Token extends Span {
  readonly kind: TokenKind;
  /** The token as written. */
  readonly text: string;
  /** Strings: the value with escapes resolved; timestamps: the text inside the quotes. */
  readonly value?: string;
  /** Binary and hex constants: the decoded bytes. */
  readonly bytes?: Uint8Array;
  /** Identifiers containing '-': valid object types, but property names must be quoted. */
  readonly hyphenated?: boolean;
}

const keywords21: ReadonlySet<string> = new Set<KeywordKind>([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUPERSET',
  'ISSUBSET',
  'EXISTS',
  'LAST',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'WITHIN',
  'REPEATS',
  'TIMES',
]);

/** STIX 2.0 has no EXISTS; there it is an ordinary identifier. */
const keywords20: ReadonlySet<string> = new Set([...keywords21].filter((k) => k !== 'EXISTS'));

/** Keywords are case-sensitive in both versions (upper case; booleans lower case). */
export function keywordsOf(version: StixVersion): ReadonlySet<string> {
  return version === '2.0' ? keywords20 : keywords21;
}

export function isKeywordKind(text: string, version: StixVersion): text is KeywordKind {
  return keywordsOf(version).has(text);
}

export interface BinaryOperatorEntry<Operator extends string> {
  readonly operator: Operator;
  /** Higher binds tighter. */
  readonly precedence: number;
}

export type PrecedenceTable<Operator extends string> = Readonly<
  Partial<Record<TokenKind, BinaryOperatorEntry<Operator>>>
>;

/** Between observation expressions: AND binds tighter than OR, OR tighter than FOLLOWEDBY; all left-associative. */
export const observationPrecedence: PrecedenceTable<ObservationOperator> = {
  FOLLOWEDBY: { operator: 'FOLLOWEDBY', precedence: 1 },
  OR: { operator: 'OR', precedence: 2 },
  AND: { operator: 'AND', precedence: 3 },
};

/** Between comparisons inside one observation expression: AND binds tighter than OR. */
export const comparisonPrecedence: PrecedenceTable<'AND' | 'OR'> = {
  OR: { operator: 'OR', precedence: 1 },
  AND: { operator: 'AND', precedence: 2 },
};

const literalDescriptions: Readonly<Record<LiteralKind, string>> = {
  string: 'a string',
  integer: 'an integer',
  float: 'a float',
  boolean: 'a boolean',
  timestamp: 'a timestamp',
  binary: 'a binary constant',
  hex: 'a hex constant',
};

export function describeLiteralKind(kind: LiteralKind): string {
  return literalDescriptions[kind];
}

export function isLiteralKind(kind: TokenKind): kind is LiteralKind {
  return Object.hasOwn(literalDescriptions, kind);
}

const SHOWN_TOKEN_LENGTH = 40;

/** How a token is named in a message: `'AND'`, `'abc'` for a string, `end of pattern`. */
export function describeToken(token: Token): string {
  if (token.kind === 'end') return 'end of pattern';
  const text =
    token.text.length > SHOWN_TOKEN_LENGTH ? `${token.text.slice(0, SHOWN_TOKEN_LENGTH)}…` : token.text;
  // Quoted constants already show their quotes.
  const quoted =
    token.kind === 'string' || token.kind === 'timestamp' || token.kind === 'binary' || token.kind === 'hex';
  return quoted ? text : `'${text}'`;
}

/** The AST constant of a literal token (the lexer has validated and decoded it). */
export function constantOf(token: Token, kind: LiteralKind): Constant {
  const span = { start: token.start, end: token.end };
  switch (kind) {
    case 'string':
      return { kind, value: token.value ?? '', ...span };
    case 'integer':
      return { kind, value: Number(token.text), raw: token.text, ...span };
    case 'float':
      return { kind, value: Number(token.text), ...span };
    case 'boolean':
      return { kind, value: token.text === 'true', ...span };
    case 'timestamp':
      return { kind, value: token.value ?? '', ...span };
    case 'binary':
    case 'hex':
      return { kind, bytes: token.bytes ?? new Uint8Array(), ...span };
  }
}

/** A position in a token list (which ends with an 'end' token): look at, step over and skip tokens. */
export class TokenCursor {
  private position = 0;
  private readonly endToken: Token;

  constructor(private readonly tokens: readonly Token[]) {
    this.endToken = tokens[tokens.length - 1] ?? { kind: 'end', text: '', start: 0, end: 0 };
  }

  get current(): Token {
    return this.tokens[this.position] ?? this.endToken;
  }

  peek(offset = 1): Token {
    return this.tokens[this.position + offset] ?? this.endToken;
  }

  at(kind: TokenKind): boolean {
    return this.current.kind === kind;
  }

  advance(): Token {
    const token = this.current;
    if (token.kind !== 'end') this.position += 1;
    return token;
  }

  eat(kind: TokenKind): Token | undefined {
    return this.at(kind) ? this.advance() : undefined;
  }

  /** Where the token before the current one ends (0 at the start). */
  previousEnd(): number {
    return this.tokens[this.position - 1]?.end ?? 0;
  }

  /** Skips to a token in `stop`, stepping over whole bracketed and parenthesised groups on the way. */
  skipUntil(stop: ReadonlySet<TokenKind>): void {
    let depth = 0;
    for (let token = this.current; token.kind !== 'end'; token = this.current) {
      if (depth === 0 && stop.has(token.kind)) return;
      if (token.kind === '[' || token.kind === '(') depth += 1;
      else if ((token.kind === ']' || token.kind === ')') && depth > 0) depth -= 1;
      this.advance();
    }
  }

  skipToEnd(): void {
    this.position = this.tokens.length - 1;
  }
}
