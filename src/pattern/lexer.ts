/**
 * The lexer: pattern text → tokens (each with `start`/`end`), plus the lexical diagnostics.
 * It never throws; text it cannot read becomes an 'invalid' token whose diagnostic is already reported.
 */
import { createDiagnostic, type PatternDiagnostic, type PatternDiagnosticCode } from './diagnostics.js';
import { keywordsOf, type StixVersion, type Token, type TokenKind } from './tokens.js';

export interface LexResult {
  /** Always ends with an 'end' token. */
  readonly tokens: readonly Token[];
  readonly diagnostics: readonly PatternDiagnostic[];
}

export function tokenize(text: string, version: StixVersion = '2.1'): LexResult {
  return new Scanner(text, version).run();
}

/** The grammar's WS rule: ASCII and Unicode spaces and line breaks. */
const WHITESPACE = /[ \t\r\n\v\f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const IDENTIFIER_START = /[a-zA-Z_]/;
const IDENTIFIER_PART = /[a-zA-Z0-9_-]/;
const DIGIT = /[0-9]/;
/** Characters that start a token of their own (or whitespace); anything else is invalid. */
const TOKEN_START = /[a-zA-Z_0-9'"=!<>:.,()[\]*+\-^/&|]/;

const SINGLE_CHARACTER_TOKENS: Readonly<Record<string, TokenKind>> = {
  ':': ':',
  '.': '.',
  ',': ',',
  '(': '(',
  ')': ')',
  '[': '[',
  ']': ']',
  '*': '*',
  '=': '=',
  '<': '<',
  '>': '>',
  '+': 'other',
  '-': 'other',
  '^': 'other',
  '/': 'other',
};

/** Two-character operators; `==` and `<>` are the grammar's aliases of `=` and `!=`. */
const TWO_CHARACTER_TOKENS: Readonly<Record<string, TokenKind>> = {
  '==': '=',
  '!=': '!=',
  '<>': '!=',
  '<=': '<=',
  '>=': '>=',
};

class Scanner {
  private readonly tokens: Token[] = [];
  private readonly diagnostics: PatternDiagnostic[] = [];
  private readonly keywords: ReadonlySet<string>;
  private position = 0;

  constructor(
    private readonly text: string,
    version: StixVersion,
  ) {
    this.keywords = keywordsOf(version);
  }

  run(): LexResult {
    const { text } = this;
    while (this.position < text.length) {
      const char = text.charAt(this.position);
      if (WHITESPACE.test(char)) this.position += 1;
      else if (char === '/' && (text[this.position + 1] === '*' || text[this.position + 1] === '/'))
        this.skipComment();
      else this.scanToken(char);
    }
    this.tokens.push({ kind: 'end', text: '', start: text.length, end: text.length });
    return { tokens: this.tokens, diagnostics: this.diagnostics };
  }

  private scanToken(char: string): void {
    const start = this.position;
    const next = this.text[start + 1] ?? '';
    if (IDENTIFIER_START.test(char)) this.scanWord();
    else if (this.startsNumber(char, next)) this.scanNumber();
    else if (char === "'") this.scanString();
    else if (char === '"') this.scanDoubleQuoted();
    else if ((char === '&' || char === '|') && next === char) this.symbolOperator(char);
    else if (TWO_CHARACTER_TOKENS[char + next] !== undefined)
      this.push(TWO_CHARACTER_TOKENS[char + next] ?? 'invalid', start, start + 2);
    else if (SINGLE_CHARACTER_TOKENS[char] !== undefined)
      this.push(SINGLE_CHARACTER_TOKENS[char] ?? 'invalid', start, start + 1);
    else this.scanInvalid();
  }

  private push(kind: TokenKind, start: number, end: number, extra: Partial<Token> = {}): void {
    this.tokens.push({ kind, text: this.text.slice(start, end), start, end, ...extra });
    this.position = end;
  }

  private report(code: PatternDiagnosticCode, start: number, end: number, message: string): void {
    this.diagnostics.push(createDiagnostic(code, { start, end }, message));
  }

  private skipComment(): void {
    const { text } = this;
    const start = this.position;
    if (text[start + 1] === '/') {
      const lineEnd = text.slice(start).search(/[\r\n]/);
      this.position = lineEnd < 0 ? text.length : start + lineEnd;
      return;
    }
    const close = text.indexOf('*/', start + 2);
    if (close >= 0) {
      this.position = close + 2;
      return;
    }
    this.report('unterminated-comment', start, text.length, "comment '/*' is never closed");
    this.position = text.length;
  }

  /** An identifier, a keyword, a boolean, or a typed constant `t'…'`, `b'…'`, `h'…'`. */
  private scanWord(): void {
    const { text } = this;
    const start = this.position;
    let end = start + 1;
    while (end < text.length && IDENTIFIER_PART.test(text.charAt(end))) end += 1;
    const word = text.slice(start, end);
    if (text[end] === "'" && (word === 't' || word === 'b' || word === 'h')) {
      this.scanTypedConstant(word, start);
      return;
    }
    if (this.keywords.has(word)) this.push(word as TokenKind, start, end);
    else if (word === 'true' || word === 'false') this.push('boolean', start, end);
    else this.push('identifier', start, end, word.includes('-') ? { hyphenated: true } : {});
  }

  private startsNumber(char: string, next: string): boolean {
    if (DIGIT.test(char)) return true;
    const afterSign = char === '+' || char === '-' ? next : char;
    if (afterSign === '.') return DIGIT.test(this.text[this.position + (char === '.' ? 1 : 2)] ?? '');
    return (char === '+' || char === '-') && DIGIT.test(next);
  }

  /** `[+-]? digits ('.' digits)?`; leading zeros, a point without digits, or trailing letters are errors. */
  private scanNumber(): void {
    const { text } = this;
    const start = this.position;
    let end = start;
    if (text[end] === '+' || text[end] === '-') end += 1;
    const intStart = end;
    while (DIGIT.test(text[end] ?? '')) end += 1;
    const intDigits = text.slice(intStart, end);
    let fraction: string | undefined;
    if (text[end] === '.') {
      const fractionStart = end + 1;
      end = fractionStart;
      while (DIGIT.test(text[end] ?? '')) end += 1;
      fraction = text.slice(fractionStart, end);
    }
    const trailing = this.trailingWordEnd(end);
    const problem =
      trailing > end
        ? 'is followed by letters or digits'
        : fraction === ''
          ? "needs digits after the '.'"
          : fraction === undefined && intDigits.length > 1 && intDigits.startsWith('0')
            ? 'has a leading zero'
            : undefined;
    if (problem === undefined) {
      this.push(fraction === undefined ? 'integer' : 'float', start, end);
      return;
    }
    this.report('invalid-number', start, trailing, `number '${text.slice(start, trailing)}' ${problem}`);
    this.push('invalid', start, trailing);
  }

  /**
   * Letters or digits glued to a number: a keyword or boolean is a token of its own, as in the grammar
   * (`5SECONDS`); anything else (`1e5`, `12ab`) is reported as part of a malformed number.
   */
  private trailingWordEnd(numberEnd: number): number {
    const { text } = this;
    let end = numberEnd;
    while (end < text.length && /[a-zA-Z0-9_.-]/.test(text.charAt(end))) end += 1;
    const word = text.slice(numberEnd, end);
    if (word === '' || this.keywords.has(word) || word === 'true' || word === 'false') return numberEnd;
    return /^[a-zA-Z0-9_.]/.test(word) ? end : numberEnd;
  }

  /** `'…'` with the escapes `\'` and `\\`; any other backslash is an error. */
  private scanString(): void {
    const { text } = this;
    const start = this.position;
    let end = start + 1;
    let value = '';
    let valid = true;
    for (;;) {
      const quote = indexOfEither(text, "'", '\\', end);
      if (quote < 0) {
        this.report('unterminated-string', start, text.length, 'string constant is never closed');
        this.push('invalid', start, text.length);
        return;
      }
      value += text.slice(end, quote);
      if (text[quote] === "'") {
        end = quote + 1;
        break;
      }
      const escaped = text[quote + 1];
      if (escaped === "'" || escaped === '\\') value += escaped;
      else if (escaped !== undefined) {
        valid = false;
        this.report('invalid-escape', quote, quote + 2, `'\\${escaped}' is not an escape in a STIX string`);
      }
      end = Math.min(quote + 2, text.length);
    }
    if (valid) this.push('string', start, end, { value });
    else this.push('invalid', start, end);
  }

  private scanDoubleQuoted(): void {
    const { text } = this;
    const start = this.position;
    const close = text.indexOf('"', start + 1);
    const end = close < 0 ? text.length : close + 1;
    this.report('double-quoted-string', start, end, 'strings take single quotes, not double quotes');
    this.push('invalid', start, end);
  }

  private symbolOperator(char: string): void {
    const start = this.position;
    const word = char === '&' ? 'AND' : 'OR';
    this.report(
      'symbol-operator',
      start,
      start + 2,
      `'${char}${char}' is not a STIX operator; write ${word}`,
    );
    this.push('invalid', start, start + 2);
  }

  /** A run of characters no token starts with, reported once. */
  private scanInvalid(): void {
    const { text } = this;
    const start = this.position;
    let end = start;
    while (end < text.length) {
      const codePoint = text.codePointAt(end) ?? 0;
      const char = String.fromCodePoint(codePoint);
      if (end > start && (TOKEN_START.test(char) || WHITESPACE.test(char))) break;
      end += char.length;
      if (end - start === 1 && (char === '&' || char === '|' || char === '!')) break;
    }
    const shown = text.slice(start, end);
    this.report('invalid-character', start, end, `'${shown}' is not allowed here`);
    this.push('invalid', start, end);
  }

  /** `t'…'`, `b'…'` or `h'…'`: no escapes inside, contents validated here. */
  private scanTypedConstant(prefix: 't' | 'b' | 'h', start: number): void {
    const { text } = this;
    const close = text.indexOf("'", start + 2);
    if (close < 0) {
      this.report('unterminated-string', start, text.length, `constant ${prefix}'… is never closed`);
      this.push('invalid', start, text.length);
      return;
    }
    const body = text.slice(start + 2, close);
    const end = close + 1;
    const checked = checkTypedConstant(prefix, body);
    if (typeof checked === 'string') {
      const code = prefix === 't' ? 'invalid-timestamp' : prefix === 'b' ? 'invalid-binary' : 'invalid-hex';
      this.report(code, start, end, checked);
      this.push('invalid', start, end);
      return;
    }
    const kind = prefix === 't' ? 'timestamp' : prefix === 'b' ? 'binary' : 'hex';
    this.push(kind, start, end, checked);
  }
}

function indexOfEither(text: string, a: string, b: string, from: number): number {
  const first = text.indexOf(a, from);
  const second = text.indexOf(b, from);
  if (first < 0) return second;
  if (second < 0) return first;
  return Math.min(first, second);
}

/** The token fields of a valid typed constant, or the message saying what is wrong with it. */
function checkTypedConstant(prefix: 't' | 'b' | 'h', body: string): Partial<Token> | string {
  if (prefix === 't') {
    return isValidTimestamp(body) ? { value: body } : `'${truncate(body)}' is not a valid timestamp`;
  }
  const bytes = prefix === 'b' ? decodeBase64(body) : decodeHex(body);
  if (bytes !== undefined) return { bytes };
  return prefix === 'b'
    ? `'${truncate(body)}' is not valid base64`
    : `'${truncate(body)}' is not an even number of hex digits`;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const TIMESTAMP =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;

/**
 * The grammar's timestamp: `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (UTC, second 60 allowed for leap seconds),
 * and, as RFC 3339 requires, a day that exists in its month.
 */
export function isValidTimestamp(text: string): boolean {
  const match = TIMESTAMP.exec(text);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES: ReadonlyMap<string, number> = new Map(
  Array.from({ length: BASE64_ALPHABET.length }, (_, index) => [BASE64_ALPHABET.charAt(index), index]),
);

/**
 * Padded base64 as the grammar defines it: whole groups of four characters, the last of which may end in
 * `=` or `==`; at least one group. Returns undefined when the text is not that.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let bits = 0;
  let bitCount = 0;
  let written = 0;
  for (let i = 0; i < text.length - padding; i += 1) {
    const value = BASE64_VALUES.get(text.charAt(i));
    if (value === undefined) return undefined;
    bits = ((bits << 6) | value) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes[written] = (bits >> bitCount) & 0xff;
      written += 1;
    }
  }
  return bytes;
}

/** An even number of hex digits (possibly none). */
export function decodeHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
