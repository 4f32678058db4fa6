/**
 * MATCHES: a search (not anchored) on NFC-normalised strings, with DOTALL (STIX 2.1 §9.6.1: "The search
 * function MUST be used. The DOTALL option MUST be specified."; deviation: the reference runs Python's
 * `re.search` without DOTALL, so there `.` does not match a line feed). We run the expressions on re2js, a linear-time engine, so no indicator can hang the process (no catastrophic
 * backtracking). Python syntax that RE2 spells differently is translated; what RE2 cannot run at all
 * (backreferences, lookaround, atomic groups, possessive quantifiers, conditionals, verbose mode) is
 * rejected when the pattern is compiled.
 * Known residual differences from Python (beyond the rejected constructs): `\b`/`\B` use ASCII word characters
 * (Python: Unicode); `\W`/`\S` inside a character class are ASCII; `(?i)` against binary values folds Unicode
 * case (Python bytes patterns: ASCII only); Python-only flags (?a) (?L) (?u) are rejected, and RE2's (?U) is
 * accepted where Python would refuse it.
 */
import { RE2JS } from 're2js';
import { isLatin1 } from './values/binary.js';

/** Python's Unicode `\s` (str patterns): ASCII whitespace plus \x1c–\x1f, NEL, NBSP and the Unicode spaces. */
const PYTHON_SPACE =
  '\\t\\n\\x0b\\f\\r\\x1c-\\x1f \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}';
/** Python's Unicode `\w`: letters, numbers and underscore. */
const PYTHON_WORD = '\\p{L}\\p{N}_';

/** A regular expression the linear-time engine cannot run, or that is not valid; the message says which. */
export class UnsupportedRegexError extends Error {
  override readonly name = 'UnsupportedRegexError';
}

/** A MATCHES operand compiled once: `searchText` for strings, `searchBytes` for binary values. */
export interface CompiledRegex {
  /** Whether the expression matches anywhere in the (already NFC-normalised) text. */
  readonly searchText: (text: string) => boolean;
  /**
   * Whether it matches anywhere in the bytes, each byte one character (Python bytes patterns, with ASCII
   * classes); undefined when the expression has a code point of 256 or more and so cannot match bytes.
   */
  readonly searchBytes: ((latin1: string) => boolean) | undefined;
}

/** Compiles a Python-syntax regular expression for MATCHES; throws UnsupportedRegexError. */
export function compileRegex(source: string): CompiledRegex {
  const text = compileWithRe2(translatePythonRegex(source, 'unicode'));
  const bytesAllowed = isLatin1(source);
  const bytes = bytesAllowed ? compileWithRe2(translatePythonRegex(source, 'bytes')) : undefined;
  return {
    searchText: (value) => text.test(value),
    searchBytes: bytes === undefined ? undefined : (value) => bytes.test(value),
  };
}

function compileWithRe2(source: string): RE2JS {
  try {
    return RE2JS.compile(source, RE2JS.DOTALL);
  } catch (error) {
    const detail =
      error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    throw new UnsupportedRegexError(`invalid or unsupported regular expression: ${detail}`);
  }
}

type ClassMode = 'unicode' | 'bytes';

interface TranslateState {
  readonly source: string;
  readonly mode: ClassMode;
  readonly multiline: boolean;
  index: number;
  inClass: boolean;
  afterQuantifier: boolean;
  out: string;
}

/**
 * Rewrites Python `re` syntax into RE2 syntax: `\Z`→`\z`, `\uXXXX`/`\UXXXXXXXX`→`\x{…}`, Unicode `\d \w \s`
 * (str patterns only), `$` also before a final newline, `{,n}`→`{0,n}`, `(?#…)` comments dropped.
 * Throws UnsupportedRegexError for constructs no linear-time engine can run.
 */
export function translatePythonRegex(source: string, mode: ClassMode): string {
  const state: TranslateState = {
    source,
    mode,
    multiline: /\(\?[a-zA-Z]*m/.test(source),
    index: 0,
    inClass: false,
    afterQuantifier: false,
    out: '',
  };
  while (state.index < source.length) {
    const ch = source[state.index] ?? '';
    if (ch === '\\') translateEscape(state);
    else if (state.inClass) translateClassChar(state, ch);
    else translatePlainChar(state, ch);
  }
  return state.out;
}

function translateClassChar(state: TranslateState, ch: string): void {
  if (ch === ']') state.inClass = false;
  // A '[' inside a class is a literal in Python, but starts a POSIX class ([:alpha:]) in RE2.
  state.out += ch === '[' ? '\\[' : ch;
  state.index += 1;
}

function translatePlainChar(state: TranslateState, ch: string): void {
  const { source } = state;
  const rest = source.slice(state.index);
  if (ch === '+' && state.afterQuantifier) throw unsupported('possessive quantifiers');
  state.afterQuantifier = ch === '*' || ch === '+' || ch === '?' || ch === '}';
  if (ch === '(') {
    translateGroupStart(state, rest);
    return;
  }
  if (ch === '[') {
    openClass(state);
    return;
  }
  if (ch === '$' && !state.multiline) {
    emit(state, '(?:\\n?\\z)', 1);
    return;
  }
  const emptyMinimum = /^\{,(\d+)\}/.exec(rest);
  if (emptyMinimum !== null) {
    state.afterQuantifier = true;
    emit(state, `{0,${emptyMinimum[1] ?? ''}}`, emptyMinimum[0].length);
    return;
  }
  emit(state, ch, 1);
}

function translateGroupStart(state: TranslateState, rest: string): void {
  if (/^\(\?(?:=|!|<=|<!)/.test(rest)) throw unsupported('lookahead and lookbehind assertions');
  if (rest.startsWith('(?P=')) throw unsupported('backreferences');
  if (rest.startsWith('(?(')) throw unsupported('conditional groups');
  if (rest.startsWith('(?>')) throw unsupported('atomic groups');
  if (/^\(\?[a-zA-Z-]*x/.test(rest)) throw unsupported('verbose mode (?x)');
  if (rest.startsWith('(?#')) {
    const end = rest.indexOf(')');
    if (end === -1) throw new UnsupportedRegexError('invalid regular expression: unterminated comment');
    state.index += end + 1;
    return;
  }
  emit(state, '(', 1);
}

function openClass(state: TranslateState): void {
  state.inClass = true;
  let prefix = '[';
  let length = 1;
  if (state.source[state.index + length] === '^') {
    prefix += '^';
    length += 1;
  }
  // A ']' first in a class is a literal in Python; RE2 agrees, but escaping it leaves no doubt.
  if (state.source[state.index + length] === ']') {
    prefix += '\\]';
    length += 1;
  }
  emit(state, prefix, length);
}

function translateEscape(state: TranslateState): void {
  const { source, index } = state;
  const next = source[index + 1];
  state.afterQuantifier = false;
  if (next === undefined) throw new UnsupportedRegexError('invalid regular expression: trailing backslash');
  const octal = /^[0-7]{3}|^0[0-7]{0,2}/.exec(source.slice(index + 1));
  if (octal !== null) {
    emit(state, `\\x{${parseInt(octal[0], 8).toString(16)}}`, 1 + octal[0].length);
    return;
  }
  if (/[1-9]/.test(next)) {
    if (state.inClass) {
      emit(state, `\\x{${parseInt(next, 8).toString(16)}}`, 2);
      return;
    }
    throw unsupported('backreferences');
  }
  const codeUnits = next === 'u' ? 4 : next === 'U' ? 8 : 0;
  if (codeUnits > 0) {
    const hex = source.slice(index + 2, index + 2 + codeUnits);
    if (!new RegExp(`^[0-9A-Fa-f]{${codeUnits}}$`).test(hex)) {
      throw new UnsupportedRegexError(`invalid regular expression: bad escape \\${next}${hex}`);
    }
    emit(state, `\\x{${hex}}`, 2 + codeUnits);
    return;
  }
  if (next === 'N') throw unsupported('named character escapes \\N{…}');
  emit(state, translateClassEscape(next, state.inClass, state.mode), 2);
}

/** One escape letter to RE2: the Unicode classes of Python str patterns, `\Z`, and `\b` in a class. */
function translateClassEscape(letter: string, inClass: boolean, mode: ClassMode): string {
  if (letter === 'Z') return '\\z';
  if (letter === 'b' && inClass) return '\\x08';
  if (mode === 'bytes') return letter === 's' ? (inClass ? '\\s\\x0b' : '[\\s\\x0b]') : `\\${letter}`;
  const wrap = (body: string): string => (inClass ? body : `[${body}]`);
  switch (letter) {
    case 'd':
      return '\\p{Nd}';
    case 'D':
      return '\\P{Nd}';
    case 'w':
      return wrap(PYTHON_WORD);
    case 's':
      return wrap(PYTHON_SPACE);
    // Negated classes cannot be spelled inside another class; there the ASCII meaning remains.
    case 'W':
      return inClass ? '\\W' : `[^${PYTHON_WORD}]`;
    case 'S':
      return inClass ? '\\S' : `[^${PYTHON_SPACE}]`;
    default:
      return `\\${letter}`;
  }
}

function emit(state: TranslateState, text: string, consumed: number): void {
  state.out += text;
  state.index += consumed;
}

function unsupported(what: string): UnsupportedRegexError {
  return new UnsupportedRegexError(`unsupported in MATCHES (linear-time regular expressions): ${what}`);
}
