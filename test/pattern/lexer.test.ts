import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBase64, decodeHex, isValidTimestamp, tokenize } from '../../src/pattern/lexer.js';
import type { Token } from '../../src/pattern/tokens.js';

function kinds(text: string, version: '2.0' | '2.1' = '2.1'): string[] {
  return tokenize(text, version).tokens.map((t) => t.kind);
}

function only(text: string): Token {
  const { tokens, diagnostics } = tokenize(text);
  assert.deepEqual(diagnostics, [], `no lexical errors in ${text}`);
  assert.equal(tokens.length, 2, `one token and the end in ${text}`);
  const token = tokens[0];
  assert.ok(token);
  return token;
}

function codesOf(text: string): string[] {
  return tokenize(text).diagnostics.map((d) => d.code);
}

test('a pattern becomes tokens with start and end offsets into the text', () => {
  const text = "[file:name = 'a.exe'] WITHIN 5 SECONDS";
  const { tokens, diagnostics } = tokenize(text);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    tokens.map((t) => t.kind),
    ['[', 'identifier', ':', 'identifier', '=', 'string', ']', 'WITHIN', 'integer', 'SECONDS', 'end'],
  );
  for (const token of tokens) assert.equal(text.slice(token.start, token.end), token.text);
  assert.equal(tokens.at(-1)?.start, text.length);
});

test('keywords are case-sensitive: upper-case keywords, lower-case booleans', () => {
  assert.deepEqual(kinds('AND OR NOT FOLLOWEDBY LIKE MATCHES ISSUBSET ISSUPERSET IN'), [
    'AND',
    'OR',
    'NOT',
    'FOLLOWEDBY',
    'LIKE',
    'MATCHES',
    'ISSUBSET',
    'ISSUPERSET',
    'IN',
    'end',
  ]);
  assert.deepEqual(kinds('WITHIN SECONDS REPEATS TIMES START STOP LAST'), [
    'WITHIN',
    'SECONDS',
    'REPEATS',
    'TIMES',
    'START',
    'STOP',
    'LAST',
    'end',
  ]);
  assert.deepEqual(kinds('and Or true false TRUE'), [
    'identifier',
    'identifier',
    'boolean',
    'boolean',
    'identifier',
    'end',
  ]);
  assert.deepEqual(kinds('ANDx xAND'), ['identifier', 'identifier', 'end']);
});

test('EXISTS is a keyword in STIX 2.1 and an identifier in STIX 2.0', () => {
  assert.deepEqual(kinds('EXISTS', '2.1'), ['EXISTS', 'end']);
  assert.deepEqual(kinds('EXISTS', '2.0'), ['identifier', 'end']);
});

test('identifiers may contain hyphens (object types), and say so', () => {
  const typeToken = only('network-traffic');
  assert.equal(typeToken.kind, 'identifier');
  assert.equal(typeToken.hyphenated, true);
  assert.equal(only('dst_ref').hyphenated, undefined);
  assert.equal(only('_x9').kind, 'identifier');
});

test("string constants resolve the escapes \\' and \\\\", () => {
  assert.equal(only("'it\\'s'").value, "it's");
  assert.equal(only("'C:\\\\Windows'").value, 'C:\\Windows');
  assert.equal(only("''").value, '');
  assert.equal(only("'ünïcödé 😀'").value, 'ünïcödé 😀');
});

test('any other backslash escape is an error at the backslash', () => {
  const { tokens, diagnostics } = tokenize("'a\\nb'");
  assert.equal(diagnostics.length, 1);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.start, d.end]),
    [['invalid-escape', 2, 4]],
  );
  assert.deepEqual([tokens[0]?.kind, tokens[0]?.end], ['invalid', 6]);
});

test('an unterminated string is one error reaching the end of the text', () => {
  const text = "[a:b = 'open";
  const { diagnostics } = tokenize(text);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.start, d.end]),
    [['unterminated-string', 7, text.length]],
  );
  assert.deepEqual(codesOf("'ends with an escaped quote\\'"), ['unterminated-string']);
});

test('integers: optional sign, no leading zeros; raw text kept', () => {
  for (const text of ['0', '42', '+7', '-7', '-0', '123456789012345678901234567890']) {
    const token = only(text);
    assert.equal(token.kind, 'integer', text);
    assert.equal(token.text, text);
  }
  assert.deepEqual(codesOf('007'), ['invalid-number']);
  assert.deepEqual(codesOf('-01'), ['invalid-number']);
});

test('floats: digits before the point are optional, after it required', () => {
  for (const text of ['1.5', '.5', '-.5', '+0.25', '007.5']) assert.equal(only(text).kind, 'float', text);
  assert.deepEqual(codesOf('1.'), ['invalid-number']);
  assert.deepEqual(codesOf('1e5'), ['invalid-number']);
  assert.deepEqual(codesOf('1.5.3'), ['invalid-number']);
});

test('a lone sign is a token the parser rejects, not a number', () => {
  assert.deepEqual(kinds('- +'), ['other', 'other', 'end']);
});

test('timestamps follow the grammar: UTC, fixed digits, optional fraction, real calendar days', () => {
  for (const text of [
    '2016-06-01T00:00:00Z',
    '2016-06-01T23:59:60Z',
    '2016-06-01T00:00:00.123456Z',
    '2016-02-29T00:00:00Z',
    '2000-02-29T12:00:00Z',
  ]) {
    assert.equal(isValidTimestamp(text), true, text);
    const token = only(`t'${text}'`);
    assert.equal(token.kind, 'timestamp');
    assert.equal(token.value, text);
  }
  for (const text of [
    '2016-13-01T00:00:00Z',
    '2016-00-01T00:00:00Z',
    '2016-06-00T00:00:00Z',
    '2016-06-31T00:00:00Z',
    '2015-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2016-06-01T24:00:00Z',
    '2016-06-01T00:60:00Z',
    '2016-06-01T00:00:61Z',
    '2016-06-01T00:00:00',
    '2016-06-01T00:00:00+01:00',
    '2016-06-01t00:00:00Z',
    '2016-06-01T00:00:00.Z',
    '16-06-01T00:00:00Z',
    '',
  ]) {
    assert.equal(isValidTimestamp(text), false, text);
    assert.deepEqual(codesOf(`t'${text}'`), ['invalid-timestamp'], text);
  }
});

test('base64 constants are decoded exactly as Node decodes them, and must be padded groups of four', () => {
  for (const text of ['aGVsbG8=', 'aGVsbG8h', 'aGk=', 'YQ==', '+/+/', 'AAAA']) {
    const token = only(`b'${text}'`);
    assert.equal(token.kind, 'binary');
    assert.deepEqual(token.bytes, new Uint8Array(Buffer.from(text, 'base64')), text);
  }
  for (const text of ['', 'aGk', 'aGVsbG8', 'a===', '====', 'aG=k', 'aGk-', 'aGk=aGk=', 'YQ==='])
    assert.equal(decodeBase64(text), undefined, text);
  assert.deepEqual(codesOf("b'aGk'"), ['invalid-binary']);
});

test('hex constants are decoded, and must be an even number of hex digits', () => {
  for (const text of ['', 'ff', 'FFd8', '00010203']) {
    const token = only(`h'${text}'`);
    assert.equal(token.kind, 'hex');
    assert.deepEqual(token.bytes, new Uint8Array(Buffer.from(text, 'hex')), text);
  }
  assert.equal(decodeHex('abc'), undefined);
  assert.equal(decodeHex('zz'), undefined);
  assert.deepEqual(codesOf("h'f'"), ['invalid-hex']);
});

test('t, b and h are ordinary identifiers unless a quote follows at once', () => {
  assert.deepEqual(kinds("t b h t 'x'"), [
    'identifier',
    'identifier',
    'identifier',
    'identifier',
    'string',
    'end',
  ]);
});

test('comparison operators, with == and <> as the grammar aliases of = and !=', () => {
  assert.deepEqual(kinds('= == != <> < <= > >='), ['=', '=', '!=', '!=', '<', '<=', '>', '>=', 'end']);
  assert.deepEqual(
    tokenize('== <>').tokens.map((t) => t.text),
    ['==', '<>', ''],
  );
});

test('comments and all grammar whitespace are skipped', () => {
  assert.deepEqual(kinds('[ /* a comment */ a // to the end of the line\n:b ]'), [
    '[',
    'identifier',
    ':',
    'identifier',
    ']',
    'end',
  ]);
  assert.deepEqual(kinds('\u3000\u00a0\u2028\t\r\n\v\fAND'), ['AND', 'end']);
  assert.deepEqual(codesOf('AND /* never closed'), ['unterminated-comment']);
});

test('&& and || are reported as symbolic operators, double quotes as double-quoted strings', () => {
  assert.deepEqual(codesOf('&& ||'), ['symbol-operator', 'symbol-operator']);
  const { tokens, diagnostics } = tokenize('"abc" AND');
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.start, d.end]),
    [['double-quoted-string', 0, 5]],
  );
  assert.deepEqual(
    tokens.map((t) => t.kind),
    ['invalid', 'AND', 'end'],
  );
});

test('a run of characters no token starts with is one error; astral characters stay whole', () => {
  const { tokens, diagnostics } = tokenize('#@😀 AND');
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.start, d.end]),
    [['invalid-character', 0, 4]],
  );
  assert.equal(tokens[0]?.text, '#@😀');
  assert.deepEqual(codesOf('!'), ['invalid-character']);
});
