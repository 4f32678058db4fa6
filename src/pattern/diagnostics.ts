/**
 * Diagnostics of the pattern front end, as data: `{ code, severity, message, start, end, hint }`.
 * Each code has exactly one record (title, severity, fix) in `diagnosticCatalog`; rendering is separate.
 */
import type { Span } from './ast.js';
import { keywordsOf, type StixVersion, type Token } from './tokens.js';

export type PatternDiagnosticSeverity = 'error' | 'warning';

export type PatternDiagnosticCode =
  // Lexical errors.
  | 'invalid-character'
  | 'unterminated-string'
  | 'invalid-escape'
  | 'invalid-number'
  | 'invalid-timestamp'
  | 'invalid-binary'
  | 'invalid-hex'
  | 'unterminated-comment'
  // Grammar errors.
  | 'unexpected-token'
  | 'wrong-constant-type'
  | 'hyphen-in-property'
  | 'qualifier-not-positive'
  | 'not-in-version'
  | 'nesting-too-deep'
  | 'invalid-constant'
  | 'duplicate-qualifier'
  // Common mistakes, errors with a specific hint.
  | 'exists-after-path'
  | 'contains-operator'
  | 'symbol-operator'
  | 'keyword-case'
  | 'double-quoted-string'
  | 'missing-brackets'
  | 'unbalanced-brackets'
  // Warnings on valid patterns.
  | 'operator-alias'
  | 'and-across-types'
  | 'unknown-object-type'
  | 'unknown-property'
  | 'unknown-extension'
  | 'repeats-once'
  | 'within-single-observation'
  | 'start-not-before-stop'
  | 'empty-set';

export interface DiagnosticRecord {
  readonly severity: PatternDiagnosticSeverity;
  readonly title: string;
  /** What to do about it; the default hint. */
  readonly fix: string;
}

export const diagnosticCatalog: { readonly [C in PatternDiagnosticCode]: DiagnosticRecord } = {
  'invalid-character': {
    severity: 'error',
    title: 'Character not allowed in a pattern',
    fix: 'Remove it, or put it inside a quoted string.',
  },
  'unterminated-string': {
    severity: 'error',
    title: 'String constant without its closing quote',
    fix: "Close the string with a single quote ('); write a quote inside a string as \\'.",
  },
  'invalid-escape': {
    severity: 'error',
    title: 'Invalid escape in a string constant',
    fix: "Only \\' and \\\\ are escapes; write a backslash as \\\\.",
  },
  'invalid-number': {
    severity: 'error',
    title: 'Malformed number',
    fix: 'Write integers without leading zeros (42, -7) and floats with digits after the point (1.5, .5).',
  },
  'invalid-timestamp': {
    severity: 'error',
    title: 'Malformed timestamp',
    fix: "Write an RFC 3339 UTC timestamp: t'2016-06-01T00:00:00Z' or t'2016-06-01T00:00:00.123Z'.",
  },
  'invalid-binary': {
    severity: 'error',
    title: 'Malformed base64 binary constant',
    fix: "Write padded base64 (A-Z a-z 0-9 + /, in groups of four, '=' padding): b'aGVsbG8='.",
  },
  'invalid-hex': {
    severity: 'error',
    title: 'Malformed hex constant',
    fix: "Write an even number of hex digits: h'ffd8'.",
  },
  'unterminated-comment': {
    severity: 'error',
    title: 'Comment without its closing */',
    fix: 'Close the comment with */.',
  },
  'unexpected-token': {
    severity: 'error',
    title: 'Unexpected token',
    fix: 'Check the pattern against the STIX patterning grammar.',
  },
  'wrong-constant-type': {
    severity: 'error',
    title: 'Constant of a type this operator does not accept',
    fix: 'LIKE, MATCHES, ISSUBSET and ISSUPERSET take a string; < > <= >= take no boolean; IN takes a set (…).',
  },
  'hyphen-in-property': {
    severity: 'error',
    title: 'Unquoted hyphen in a property name',
    fix: "Quote property names that contain a hyphen: file:hashes.'SHA-256'.",
  },
  'qualifier-not-positive': {
    severity: 'error',
    title: 'Qualifier count that is not positive',
    fix: 'WITHIN takes a positive number of seconds, REPEATS a positive integer.',
  },
  'not-in-version': {
    severity: 'error',
    title: 'Not part of this STIX version',
    fix: 'Write the pattern in the syntax of the chosen STIX version (--stix-version 2.0 or 2.1).',
  },
  'nesting-too-deep': {
    severity: 'error',
    title: 'Pattern nested or chained too deeply',
    fix: 'Flatten the pattern; a long list of alternatives is better written with IN (…).',
  },
  'invalid-constant': {
    severity: 'error',
    title: 'Constant the operator cannot use',
    fix: 'MATCHES takes a regular expression without backreferences or lookaround; ISSUBSET and ISSUPERSET take a CIDR (10.0.0.0/8, 2001:db8::/32).',
  },
  'exists-after-path': {
    severity: 'error',
    title: 'EXISTS written after the object path',
    fix: 'EXISTS comes first: [EXISTS file:name].',
  },
  'contains-operator': {
    severity: 'error',
    title: 'CONTAINS is not a STIX operator',
    fix: "Use LIKE with wildcards: file:name LIKE '%x%'.",
  },
  'symbol-operator': {
    severity: 'error',
    title: 'Symbolic boolean operator',
    fix: 'Write AND, OR (and NOT) as words.',
  },
  'keyword-case': {
    severity: 'error',
    title: 'Keyword in the wrong case',
    fix: 'Keywords are upper case (AND, OR, LIKE, WITHIN …); booleans are lower case (true, false).',
  },
  'double-quoted-string': {
    severity: 'error',
    title: 'Double-quoted string',
    fix: "Strings take single quotes: 'value'.",
  },
  'missing-brackets': {
    severity: 'error',
    title: 'Comparison outside square brackets',
    fix: "Put comparisons inside square brackets: [file:name = 'x'].",
  },
  'unbalanced-brackets': {
    severity: 'error',
    title: 'Unbalanced brackets or parentheses',
    fix: "Every '[' needs a ']' and every '(' a ')'.",
  },
  'operator-alias': {
    severity: 'warning',
    title: 'Operator spelling outside the specification',
    fix: "The specification writes '=' and '!='; '==' and '<>' are accepted by the grammar only.",
  },
  'and-across-types': {
    severity: 'warning',
    title: 'AND across object types never matches',
    fix: 'Comparisons joined by AND must hold for one object: use a reference path, or two observation expressions.',
  },
  'unknown-object-type': {
    severity: 'warning',
    title: 'Not a STIX 2.1 cyber-observable type',
    fix: 'Use a STIX cyber-observable type; name custom types x-….',
  },
  'unknown-property': {
    severity: 'warning',
    title: 'Property that no object of this type has',
    fix: 'Use a property of the object type; name custom properties x_….',
  },
  'unknown-extension': {
    severity: 'warning',
    title: 'Extension not defined for this object type',
    fix: 'Use a predefined extension, or name a custom one extension-definition--<uuid> (or x-…).',
  },
  'repeats-once': {
    severity: 'warning',
    title: 'REPEATS 1 TIMES does nothing',
    fix: 'Remove the qualifier, or repeat at least 2 times.',
  },
  'within-single-observation': {
    severity: 'warning',
    title: 'WITHIN on a single observation expression',
    fix: 'Qualifiers bind to the observation expression just before them; to limit the time between several, put them in parentheses: ([…] FOLLOWEDBY […]) WITHIN 300 SECONDS.',
  },
  'start-not-before-stop': {
    severity: 'warning',
    title: 'START is not before STOP',
    fix: 'START is inclusive and STOP exclusive: START must come before STOP.',
  },
  'duplicate-qualifier': {
    severity: 'error',
    title: 'The same qualifier twice on one observation expression',
    fix: 'Keep one qualifier of each kind (STIX 2.1 §9.5.1), or put parentheses around the expression and the first one.',
  },
  'empty-set': {
    severity: 'warning',
    title: 'IN with an empty set',
    fix: 'An empty set contains nothing: IN () never matches and NOT IN () always does.',
  },
};

export interface PatternDiagnostic extends Span {
  readonly code: PatternDiagnosticCode;
  readonly severity: PatternDiagnosticSeverity;
  readonly message: string;
  readonly hint?: string;
}

/** A diagnostic for `code` at `span`; the hint defaults to the code's fix. */
export function createDiagnostic(
  code: PatternDiagnosticCode,
  span: Span,
  message: string,
  hint?: string,
): PatternDiagnostic {
  const record = diagnosticCatalog[code];
  return {
    code,
    severity: record.severity,
    message,
    start: span.start,
    end: Math.max(span.end, span.start),
    hint: hint ?? record.fix,
  };
}

/** `a`, `a or b`, `a, b or c`: the alternatives of an "expected …" message. */
export function joinAlternatives(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

/** 1-based column of an offset (patterns are one line; a newline counts as one column). */
export function columnOf(offset: number): number {
  return offset + 1;
}

/** The JSON form of a diagnostic: the data plus its column and its code's title. */
export interface PatternDiagnosticJson {
  readonly code: PatternDiagnosticCode;
  readonly severity: PatternDiagnosticSeverity;
  readonly title: string;
  readonly message: string;
  readonly column: number;
  readonly start: number;
  readonly end: number;
  readonly hint?: string;
}

export function diagnosticToJson(diagnostic: PatternDiagnostic): PatternDiagnosticJson {
  return {
    code: diagnostic.code,
    severity: diagnostic.severity,
    title: diagnosticCatalog[diagnostic.code].title,
    message: diagnostic.message,
    column: columnOf(diagnostic.start),
    start: diagnostic.start,
    end: diagnostic.end,
    ...(diagnostic.hint === undefined ? {} : { hint: diagnostic.hint }),
  };
}

/** Longest excerpt of the pattern shown under a diagnostic; longer patterns are cut around the span. */
const EXCERPT_WIDTH = 100;

/**
 * Renders a diagnostic for people:
 * `error[code] column N: message`, the pattern (or an excerpt of it), a caret line under the span, and the hint.
 * The code may be another layer's (the engine's index warnings in `check`), so all read the same.
 */
export function formatDiagnostic(
  text: string,
  diagnostic: Omit<PatternDiagnostic, 'code'> & { readonly code: string },
): string {
  const { excerpt, shift } = excerptAround(text, diagnostic.start);
  const from = diagnostic.start - shift;
  const width = Math.max(1, Math.min(diagnostic.end, shift + excerpt.length) - diagnostic.start);
  const lines = [
    `${diagnostic.severity}[${diagnostic.code}] column ${columnOf(diagnostic.start)}: ${diagnostic.message}`,
    `  ${excerpt}`,
    `  ${' '.repeat(Math.max(0, from))}${'^'.repeat(width)}`,
  ];
  if (diagnostic.hint !== undefined) lines.push(`  hint: ${diagnostic.hint}`);
  return lines.join('\n');
}

/** The visible part of the pattern, control characters shown as spaces so the caret lines up. */
function excerptAround(text: string, offset: number): { excerpt: string; shift: number } {
  let flat = '';
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    flat += code < 0x20 || code === 0x7f ? ' ' : text.charAt(i);
  }
  if (flat.length <= EXCERPT_WIDTH) return { excerpt: flat, shift: 0 };
  const start = Math.max(0, Math.min(offset - EXCERPT_WIDTH / 2, flat.length - EXCERPT_WIDTH));
  const end = start + EXCERPT_WIDTH;
  const head = start > 0 ? '…' : '';
  const tail = end < flat.length ? '…' : '';
  return { excerpt: `${head}${flat.slice(start, end)}${tail}`, shift: start - head.length };
}

/** The specific code and hint of a common mistake made at `token`, when it is one. */
export function classifyMistake(
  token: Token,
  expected: readonly string[],
  version: StixVersion,
): { code: PatternDiagnosticCode; hint?: string } | undefined {
  if (token.kind === 'identifier') return classifyWord(token.text, expected, version);
  const topLevel = expected.includes('end of pattern');
  if ((token.kind === ']' || token.kind === ')') && topLevel) {
    const open = token.kind === ']' ? '[' : '(';
    return { code: 'unbalanced-brackets', hint: `This '${token.text}' has no '${open}' to close.` };
  }
  if ((token.kind === '[' || token.kind === '(') && topLevel) {
    return { code: 'unexpected-token', hint: 'Join observation expressions with AND, OR or FOLLOWEDBY.' };
  }
  if (token.kind === '[' && expected.includes('an object type')) {
    return {
      code: 'unbalanced-brackets',
      hint: "Observation expressions do not nest inside '[' … ']': close the bracket before opening another.",
    };
  }
  return undefined;
}

function classifyWord(
  word: string,
  expected: readonly string[],
  version: StixVersion,
): { code: PatternDiagnosticCode; hint?: string } | undefined {
  const upper = word.toUpperCase();
  if (upper === 'CONTAINS') return { code: 'contains-operator' };
  if (word === 'EXISTS' && version === '2.0')
    return { code: 'not-in-version', hint: 'EXISTS is STIX 2.1 only.' };
  if (keywordsOf(version).has(upper)) {
    return { code: 'keyword-case', hint: `Keywords are upper case: write ${upper}.` };
  }
  const lower = word.toLowerCase();
  if ((lower === 'true' || lower === 'false') && expected.some((e) => e.startsWith('a constant'))) {
    return { code: 'keyword-case', hint: `Booleans are lower case: write ${lower}.` };
  }
  return undefined;
}
