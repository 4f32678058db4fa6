import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createDiagnostic,
  diagnosticCatalog,
  diagnosticToJson,
  formatDiagnostic,
  type PatternDiagnosticCode,
} from '../../src/pattern/diagnostics.js';
import { analyzePattern } from '../../src/pattern/analyze.js';

const codes = Object.keys(diagnosticCatalog) as PatternDiagnosticCode[];

test('every code has one record with a severity, a title and a fix', () => {
  assert.ok(codes.length > 20);
  for (const code of codes) {
    const record = diagnosticCatalog[code];
    assert.ok(['error', 'warning'].includes(record.severity), code);
    assert.ok(record.title.length > 5, `${code} has a title`);
    assert.ok(record.fix.length > 5, `${code} has a fix`);
    assert.match(record.title, /^[A-Z]/, `${code}: a title starts with a capital`);
  }
  const titles = codes.map((code) => diagnosticCatalog[code].title);
  assert.equal(new Set(titles).size, titles.length, 'titles are distinct');
});

test('a diagnostic takes its severity from its code, and its hint defaults to the fix', () => {
  const diagnostic = createDiagnostic('contains-operator', { start: 3, end: 11 }, 'message');
  assert.equal(diagnostic.severity, 'error');
  assert.equal(diagnostic.hint, diagnosticCatalog['contains-operator'].fix);
  assert.equal(
    createDiagnostic('contains-operator', { start: 3, end: 11 }, 'message', 'specific').hint,
    'specific',
  );
  assert.equal(createDiagnostic('and-across-types', { start: 0, end: 1 }, 'm').severity, 'warning');
});

test('formatDiagnostic: "column N: message", the pattern, a caret line under the span, the hint', () => {
  const text = '[file:name EXISTS]';
  const [diagnostic] = analyzePattern(text).diagnostics;
  assert.ok(diagnostic);
  const lines = formatDiagnostic(text, diagnostic).split('\n');
  const offset = text.indexOf('EXISTS');
  assert.equal(lines[0], `error[exists-after-path] column ${offset + 1}: ${diagnostic.message}`);
  assert.equal(lines[1], `  ${text}`);
  assert.equal(lines[2], `  ${' '.repeat(offset)}${'^'.repeat('EXISTS'.length)}`);
  assert.equal(lines[3], `  hint: ${String(diagnostic.hint)}`);
  assert.match(lines.join('\n'), /hint: .*EXISTS file:name/);
});

test('a caret at the end of the pattern sits just past its last character', () => {
  const text = '[a:x = 1';
  const [diagnostic] = analyzePattern(text).diagnostics.filter((d) => d.severity === 'error');
  assert.ok(diagnostic);
  const caretLine = formatDiagnostic(text, diagnostic).split('\n')[2] ?? '';
  assert.equal(caretLine.indexOf('^'), 2 + text.length);
});

test('control characters are shown as spaces so the caret still lines up', () => {
  const text = "[a:x =\t'y'\n AND a:z CONTAINS 'w']";
  const diagnostic = analyzePattern(text).diagnostics.find((d) => d.code === 'contains-operator');
  assert.ok(diagnostic);
  const [, patternLine, caretLine] = formatDiagnostic(text, diagnostic).split('\n');
  assert.ok(patternLine !== undefined && caretLine !== undefined);
  assert.doesNotMatch(patternLine, /[\t\n]/);
  const caret = caretLine.indexOf('^');
  assert.equal(patternLine.slice(caret, caret + 'CONTAINS'.length), 'CONTAINS');
});

test('a long pattern is cut around the span, and the caret stays under the offending token', () => {
  const filler = Array.from({ length: 40 }, (_, i) => `a:x = ${i}`).join(' OR ');
  const text = `[${filler} OR a:y CONTAINS 'v' OR ${filler}]`;
  const diagnostic = analyzePattern(text).diagnostics.find((d) => d.code === 'contains-operator');
  assert.ok(diagnostic);
  const [, patternLine, caretLine] = formatDiagnostic(text, diagnostic).split('\n');
  assert.ok(patternLine !== undefined && caretLine !== undefined);
  assert.ok(patternLine.length < 120, 'excerpt, not the whole pattern');
  assert.match(patternLine, /^ {2}….*…$/);
  const caret = caretLine.indexOf('^');
  assert.equal(patternLine.slice(caret, caret + 'CONTAINS'.length), 'CONTAINS');
  assert.equal(caretLine.trim(), '^'.repeat('CONTAINS'.length));
});

test('the JSON form carries the data, the column and the title', () => {
  const text = '[a:x = 1] AND [a:y LIKE 2]';
  const errors = analyzePattern(text).diagnostics.filter((d) => d.severity === 'error');
  const json = errors.map(diagnosticToJson);
  assert.equal(json.length, 1);
  const [first] = json;
  assert.ok(first);
  assert.equal(first.code, 'wrong-constant-type');
  assert.equal(first.column, text.indexOf('2') + 1);
  assert.equal(first.start, text.indexOf('2'));
  assert.equal(first.end, text.indexOf('2') + 1);
  assert.equal(first.title, diagnosticCatalog['wrong-constant-type'].title);
  assert.deepEqual(JSON.parse(JSON.stringify(first)), first);
});

/** One pattern (and STIX version) that produces each code, so no record of the catalogue is dead. */
const examples: { readonly [C in PatternDiagnosticCode]: readonly [string, ('2.0' | '2.1')?] } = {
  'invalid-character': ['[file:name = 1 # 2]'],
  'unterminated-string': ["[file:name = 'a]"],
  'invalid-escape': ["[file:name = 'a\\qb']"],
  'invalid-number': ['[file:size = 01]'],
  'invalid-timestamp': ["[file:ctime = t'2020-13-01T00:00:00Z']"],
  'invalid-binary': ["[artifact:payload_bin = b'abc']"],
  'invalid-hex': ["[file:magic_number_hex = h'abc']"],
  'unterminated-comment': ["[file:name = 'a'] /*"],
  'unexpected-token': ['[file:name = ]'],
  'wrong-constant-type': ['[file:name LIKE 1]'],
  'hyphen-in-property': ['[file:hashes.SHA-256 = 1]'],
  'qualifier-not-positive': ["[file:name = 'a'] REPEATS 0 TIMES"],
  'not-in-version': ['[EXISTS file:name]', '2.0'],
  'nesting-too-deep': [`${'('.repeat(1200)}[file:name = 'a']${')'.repeat(1200)}`],
  'invalid-constant': ["[file:name MATCHES '(?=a)']"],
  'duplicate-qualifier': ["[file:name = 'a'] REPEATS 2 TIMES REPEATS 3 TIMES"],
  'exists-after-path': ['[file:name EXISTS]'],
  'contains-operator': ["[file:name CONTAINS 'a']"],
  'symbol-operator': ["[file:name = 'a' || file:name = 'b']"],
  'keyword-case': ["[file:name = 'a'] or [file:name = 'b']"],
  'double-quoted-string': ['[file:name = "a"]'],
  'missing-brackets': ["file:name = 'a'"],
  'unbalanced-brackets': ["[file:name = 'a'"],
  'operator-alias': ["[file:name == 'a']"],
  'and-across-types': ["[file:name = 'a' AND mutex:name = 'b']"],
  'unknown-object-type': ["[fiel:name = 'a']"],
  'unknown-property': ["[file:nam = 'a']"],
  'unknown-extension': ["[file:extensions.'pe-ext'.imphash = 'a']"],
  'repeats-once': ["[file:name = 'a'] REPEATS 1 TIMES"],
  'within-single-observation': ["[file:name = 'a'] WITHIN 5 SECONDS"],
  'start-not-before-stop': ["[file:name = 'a'] START t'2021-01-01T00:00:00Z' STOP t'2020-01-01T00:00:00Z'"],
  'empty-set': ['[file:name IN ()]'],
};

test('every code of the catalogue is produced, with its own severity, by some pattern', () => {
  for (const code of codes) {
    const [text, version] = examples[code];
    const found = analyzePattern(text, { stixVersion: version ?? '2.1' }).diagnostics.find(
      (d) => d.code === code,
    );
    assert.ok(found, `${code} from ${text.slice(0, 60)}`);
    assert.equal(found.severity, diagnosticCatalog[code].severity);
  }
});
