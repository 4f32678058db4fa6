import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  Comparison,
  ComparisonExpression,
  Constant,
  ObservationExpression,
  Pattern,
} from '../../src/pattern/ast.js';
import { PatternSyntaxError } from '../../src/pattern/errors.js';
import { MAX_NESTING_DEPTH, parsePattern, parseWithDiagnostics } from '../../src/pattern/parser.js';

/** A compact, readable form of the tree: `(AND [a:b = 1] [c:d = 2])`. */
function shape(node: ObservationExpression): string {
  switch (node.kind) {
    case 'observation':
      return `[${comparisonShape(node.comparison)}]`;
    case 'observation-binary':
      return `(${node.operator} ${shape(node.left)} ${shape(node.right)})`;
    case 'observation-qualified': {
      const q = node.qualifier;
      const text =
        q.kind === 'within'
          ? `WITHIN ${q.seconds}`
          : q.kind === 'repeats'
            ? `REPEATS ${q.times}`
            : `START ${q.startTime.value} STOP ${q.stopTime.value}`;
      return `(${text} ${shape(node.expression)})`;
    }
  }
}

function comparisonShape(node: ComparisonExpression): string {
  if (node.kind === 'comparison-binary') {
    return `(${node.operator} ${comparisonShape(node.left)} ${comparisonShape(node.right)})`;
  }
  const path = `${node.path.objectType}:${node.path.steps.map((s) => (s.kind === 'property' ? s.name : s.kind === 'any' ? '*' : s.index)).join('/')}`;
  const not = node.negated ? 'NOT ' : '';
  if (node.operator === 'EXISTS') return `${not}EXISTS ${path}`;
  const value =
    node.value?.kind === 'set'
      ? `(${node.value.values.map(constantShape).join(',')})`
      : constantShape(node.value);
  return `${path} ${not}${node.operator} ${value}`;
}

function constantShape(constant: Constant | null): string {
  if (constant === null) return 'null';
  if (constant.kind === 'binary' || constant.kind === 'hex')
    return `${constant.kind}:${Buffer.from(constant.bytes).toString('hex')}`;
  return String(constant.value);
}

function comparisonOf(pattern: Pattern): Comparison {
  if (pattern.kind !== 'observation') assert.fail(`a single observation expected, found ${pattern.kind}`);
  if (pattern.comparison.kind !== 'comparison') assert.fail('a single comparison expected');
  return pattern.comparison;
}

function syntaxError(text: string, version: '2.0' | '2.1' = '2.1'): PatternSyntaxError {
  try {
    parsePattern(text, { stixVersion: version });
  } catch (error) {
    assert.ok(error instanceof PatternSyntaxError, `PatternSyntaxError for ${text}`);
    return error;
  }
  assert.fail(`expected a syntax error for ${text}`);
}

// ── Observation expressions ──────────────────────────────────────────────────

test('observation operators: AND binds tighter than OR, OR tighter than FOLLOWEDBY', () => {
  assert.equal(
    shape(parsePattern('[a:x = 1] OR [b:x = 2] AND [c:x = 3]')),
    '(OR [a:x = 1] (AND [b:x = 2] [c:x = 3]))',
  );
  assert.equal(
    shape(parsePattern('[a:x = 1] AND [b:x = 2] OR [c:x = 3]')),
    '(OR (AND [a:x = 1] [b:x = 2]) [c:x = 3])',
  );
  assert.equal(
    shape(parsePattern('[a:x = 1] FOLLOWEDBY [b:x = 2] OR [c:x = 3]')),
    '(FOLLOWEDBY [a:x = 1] (OR [b:x = 2] [c:x = 3]))',
  );
  assert.equal(
    shape(parsePattern('[a:x = 1] OR [b:x = 2] FOLLOWEDBY [c:x = 3] AND [d:x = 4]')),
    '(FOLLOWEDBY (OR [a:x = 1] [b:x = 2]) (AND [c:x = 3] [d:x = 4]))',
  );
});

test('observation operators are left-associative; parentheses regroup', () => {
  assert.equal(
    shape(parsePattern('[a:x = 1] FOLLOWEDBY [b:x = 2] FOLLOWEDBY [c:x = 3]')),
    '(FOLLOWEDBY (FOLLOWEDBY [a:x = 1] [b:x = 2]) [c:x = 3])',
  );
  assert.equal(
    shape(parsePattern('[a:x = 1] AND ([b:x = 2] OR [c:x = 3])')),
    '(AND [a:x = 1] (OR [b:x = 2] [c:x = 3]))',
  );
  assert.equal(shape(parsePattern('(([a:x = 1]))')), '[a:x = 1]');
});

test('qualifiers bind to the observation expression before them, tighter than any operator, and chain', () => {
  assert.equal(
    shape(parsePattern('[a:x = 1] AND [b:x = 2] WITHIN 5 SECONDS')),
    '(AND [a:x = 1] (WITHIN 5 [b:x = 2]))',
  );
  assert.equal(
    shape(parsePattern('([a:x = 1] AND [b:x = 2]) WITHIN 2.5 SECONDS')),
    '(WITHIN 2.5 (AND [a:x = 1] [b:x = 2]))',
  );
  assert.equal(
    shape(parsePattern('[a:x = 1] REPEATS 5 TIMES WITHIN 1800 SECONDS')),
    '(WITHIN 1800 (REPEATS 5 [a:x = 1]))',
  );
  assert.equal(
    shape(parsePattern("[a:x = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00.5Z'")),
    '(START 2016-06-01T00:00:00Z STOP 2016-07-01T00:00:00.5Z [a:x = 1])',
  );
  assert.equal(shape(parsePattern('[a:x = 1] WITHIN +3 SECONDS')), '(WITHIN 3 [a:x = 1])');
  // One qualifier of each kind per observation expression; parentheses make a new expression.
  assert.equal(
    shape(parsePattern('([a:x = 1] REPEATS 2 TIMES) REPEATS 3 TIMES')),
    '(REPEATS 3 (REPEATS 2 [a:x = 1]))',
  );
});

// ── Comparison expressions ───────────────────────────────────────────────────

test('comparison operators: AND binds tighter than OR, left-associative, parentheses regroup', () => {
  assert.equal(
    shape(parsePattern('[a:x = 1 OR a:y = 2 AND a:z = 3]')),
    '[(OR a:x = 1 (AND a:y = 2 a:z = 3))]',
  );
  assert.equal(
    shape(parsePattern('[a:x = 1 AND a:y = 2 AND a:z = 3]')),
    '[(AND (AND a:x = 1 a:y = 2) a:z = 3)]',
  );
  assert.equal(
    shape(parsePattern('[(a:x = 1 OR a:y = 2) AND a:z = 3]')),
    '[(AND (OR a:x = 1 a:y = 2) a:z = 3)]',
  );
});

test('every comparison operator, each with NOT', () => {
  const cases: [string, string][] = [
    ["a:x = 'v'", '='],
    ["a:x != 'v'", '!='],
    ['a:x < 1', '<'],
    ['a:x > 1', '>'],
    ['a:x <= 1', '<='],
    ['a:x >= 1', '>='],
    ['a:x IN (1)', 'IN'],
    ["a:x LIKE 'v%'", 'LIKE'],
    ["a:x MATCHES '^v'", 'MATCHES'],
    ["a:x ISSUBSET '10.0.0.0/8'", 'ISSUBSET'],
    ["a:x ISSUPERSET '10.0.0.0/8'", 'ISSUPERSET'],
  ];
  for (const [text, operator] of cases) {
    const plain = comparisonOf(parsePattern(`[${text}]`));
    assert.equal(plain.operator, operator, text);
    assert.equal(plain.negated, false);
    const negatedText = text.replace(/^a:x /, 'a:x NOT ');
    const negated = comparisonOf(parsePattern(`[${negatedText}]`));
    assert.equal(negated.operator, operator, negatedText);
    assert.equal(negated.negated, true);
  }
  assert.equal(comparisonOf(parsePattern('[a:x == 1]')).operator, '=');
  assert.equal(comparisonOf(parsePattern('[a:x <> 1]')).operator, '!=');
});

test('EXISTS and NOT EXISTS take the path after the keyword (STIX 2.1)', () => {
  const exists = comparisonOf(parsePattern('[EXISTS a:x.y]'));
  assert.equal(exists.operator, 'EXISTS');
  assert.equal(exists.negated, false);
  assert.equal(exists.value, null);
  assert.equal(exists.start, 1);
  assert.equal(comparisonOf(parsePattern('[NOT EXISTS a:x]')).negated, true);
  assert.equal(shape(parsePattern('[EXISTS a:x AND a:y = 1]')), '[(AND EXISTS a:x a:y = 1)]');
});

test('constants of every kind become typed AST constants', () => {
  const value = (text: string): Constant | null => {
    const comparison = comparisonOf(parsePattern(`[a:x = ${text}]`));
    return comparison.value?.kind === 'set' ? null : comparison.value;
  };
  assert.deepEqual(value("'it\\'s'"), { kind: 'string', value: "it's", start: 7, end: 14 });
  assert.deepEqual(value('-42'), { kind: 'integer', value: -42, raw: '-42', start: 7, end: 10 });
  assert.deepEqual(value('9007199254740993'), {
    kind: 'integer',
    value: Number('9007199254740993'),
    raw: '9007199254740993',
    start: 7,
    end: 23,
  });
  assert.deepEqual(value('-.5'), { kind: 'float', value: -0.5, start: 7, end: 10 });
  assert.deepEqual(value('true'), { kind: 'boolean', value: true, start: 7, end: 11 });
  assert.deepEqual(value('false'), { kind: 'boolean', value: false, start: 7, end: 12 });
  assert.deepEqual(value("t'2020-01-01T00:00:00Z'"), {
    kind: 'timestamp',
    value: '2020-01-01T00:00:00Z',
    start: 7,
    end: 30,
  });
  assert.deepEqual(value("b'aGk='"), {
    kind: 'binary',
    bytes: new Uint8Array([0x68, 0x69]),
    start: 7,
    end: 14,
  });
  assert.deepEqual(value("h'ffd8'"), { kind: 'hex', bytes: new Uint8Array([0xff, 0xd8]), start: 7, end: 14 });
});

test('IN takes a set of any constants, possibly empty', () => {
  assert.equal(
    shape(parsePattern("[a:x IN (1, 'b', true, 2.5, h'00', b'AAAA')]")),
    '[a:x IN (1,b,true,2.5,hex:00,binary:000000)]',
  );
  const empty = comparisonOf(parsePattern('[a:x NOT IN ()]'));
  assert.deepEqual(empty.value, { kind: 'set', values: [], start: 12, end: 14 });
});

// ── Object paths ─────────────────────────────────────────────────────────────

test('object paths: nested properties, quoted components, list indexes, [*], references', () => {
  const path = comparisonOf(
    parsePattern("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]"),
  ).path;
  assert.equal(path.objectType, 'file');
  assert.deepEqual(
    path.steps.map((s) => (s.kind === 'property' ? s.name : s.kind)),
    ['extensions', 'windows-pebinary-ext', 'sections', 'any', 'entropy'],
  );
  assert.equal(shape(parsePattern("[a:'x-y'[0][-1][+2] = 1]")), '[a:x-y/0/-1/2 = 1]');
  assert.equal(
    shape(parsePattern("[email-message:body_multipart[*].body_raw_ref.name = 'x']")),
    '[email-message:body_multipart/*/body_raw_ref/name = x]',
  );
  assert.equal(shape(parsePattern("[x-custom-type:x_prop = 'v']")), '[x-custom-type:x_prop = v]');
});

test('nodes carry start and end offsets into the text', () => {
  const text = "[a:x = 1] AND [b:y = 'z'] WITHIN 5 SECONDS";
  const pattern = parsePattern(text);
  assert.equal(pattern.start, 0);
  assert.equal(pattern.end, text.length);
  if (pattern.kind !== 'observation-binary') assert.fail('binary expected');
  assert.equal(text.slice(pattern.left.start, pattern.left.end), '[a:x = 1]');
  assert.equal(text.slice(pattern.right.start, pattern.right.end), "[b:y = 'z'] WITHIN 5 SECONDS");
  if (pattern.right.kind !== 'observation-qualified') assert.fail('qualified expected');
  assert.equal(text.slice(pattern.right.qualifier.start, pattern.right.qualifier.end), 'WITHIN 5 SECONDS');
  const comparison = comparisonOf(pattern.left);
  assert.equal(text.slice(comparison.start, comparison.end), 'a:x = 1');
  assert.equal(text.slice(comparison.path.start, comparison.path.end), 'a:x');
});

test('a number glued to a keyword is two tokens, as in the grammar', () => {
  assert.equal(
    shape(parsePattern('[a:x = 1AND a:y = 2] WITHIN 5SECONDS')),
    '(WITHIN 5 [(AND a:x = 1 a:y = 2)])',
  );
  assert.equal(syntaxError('[a:x = 1e5]').code, 'invalid-number');
});

test('comments and line breaks between tokens are allowed', () => {
  assert.equal(shape(parsePattern('[a:x /* why */ = 1]\n// trailing comment')), '[a:x = 1]');
});

// ── Errors: column, token, expected, code ────────────────────────────────────

test('errors carry the 1-based column, the offending token, what was expected and a code', () => {
  const cases: { text: string; column: number; token: string; code: string; expected?: string[] }[] = [
    { text: '', column: 1, token: '', code: 'unexpected-token', expected: ["'['", "'('"] },
    { text: '[a:x = 1] AND', column: 14, token: '', code: 'unexpected-token', expected: ["'['", "'('"] },
    { text: '[a:x = ]', column: 8, token: ']', code: 'unexpected-token', expected: ['a constant'] },
    {
      text: '[a:x = 1 a:y = 2]',
      column: 10,
      token: 'a',
      code: 'unexpected-token',
      expected: ["'AND'", "'OR'", "']'"],
    },
    { text: '[a = 1]', column: 4, token: '=', code: 'unexpected-token', expected: ["':'"] },
    { text: '[a:x 1]', column: 6, token: '1', code: 'unexpected-token' },
    {
      text: '[a:x[x] = 1]',
      column: 6,
      token: 'x',
      code: 'unexpected-token',
      expected: ["'*'", 'an integer index'],
    },
    { text: '[a:x = 1] WITHIN 5', column: 19, token: '', code: 'unexpected-token', expected: ["'SECONDS'"] },
    { text: '[a:x = 1] REPEATS 2', column: 20, token: '', code: 'unexpected-token', expected: ["'TIMES'"] },
    {
      text: "[a:x = 1] START t'2016-06-01T00:00:00Z'",
      column: 40,
      token: '',
      code: 'unexpected-token',
      expected: ["'STOP'"],
    },
    { text: '[a:x = 1] ^', column: 11, token: '^', code: 'unexpected-token' },
    { text: '[a:x = 1]]', column: 10, token: ']', code: 'unbalanced-brackets' },
    {
      text: '[a:x = 1',
      column: 9,
      token: '',
      code: 'unbalanced-brackets',
      expected: ["'AND'", "'OR'", "']'"],
    },
    { text: '([a:x = 1]', column: 11, token: '', code: 'unbalanced-brackets', expected: ["')'"] },
    { text: '[a:x = 1 AND [b:y = 2]]', column: 14, token: '[', code: 'unbalanced-brackets' },
    { text: '[a:x EXISTS]', column: 6, token: 'EXISTS', code: 'exists-after-path' },
    { text: "[a:x CONTAINS 'y']", column: 6, token: 'CONTAINS', code: 'contains-operator' },
    { text: '[a:x = 1 && a:y = 2]', column: 10, token: '&&', code: 'symbol-operator' },
    { text: '[a:x = 1] || [a:y = 2]', column: 11, token: '||', code: 'symbol-operator' },
    { text: '[a:x = 1 and a:y = 2]', column: 10, token: 'and', code: 'keyword-case' },
    { text: "[a:x like 'y']", column: 6, token: 'like', code: 'keyword-case' },
    { text: '[a:x = True]', column: 8, token: 'True', code: 'keyword-case' },
    { text: '[a:x = "y"]', column: 8, token: '"y"', code: 'double-quoted-string' },
    { text: "a:x = 'y'", column: 1, token: "a:x = 'y'", code: 'missing-brackets' },
    { text: "a:x = 'y']", column: 1, token: "a:x = 'y']", code: 'missing-brackets' },
    {
      text: "a:x = 'y' AND a:z LIKE 1",
      column: 1,
      token: "a:x = 'y' AND a:z LIKE 1",
      code: 'missing-brackets',
    },
    { text: '[a:x-y = 1]', column: 4, token: 'x-y', code: 'hyphen-in-property' },
    { text: '[a:x > true]', column: 8, token: 'true', code: 'wrong-constant-type' },
    { text: '[a:x LIKE 1]', column: 11, token: '1', code: 'wrong-constant-type', expected: ['a string'] },
    { text: '[a:x MATCHES true]', column: 14, token: 'true', code: 'wrong-constant-type' },
    { text: '[a:x ISSUBSET 1]', column: 15, token: '1', code: 'wrong-constant-type' },
    { text: "[a:x IN 'y']", column: 9, token: "'y'", code: 'wrong-constant-type', expected: ["'('"] },
    { text: '[a:x = 1] REPEATS 1.5 TIMES', column: 19, token: '1.5', code: 'wrong-constant-type' },
    {
      text: "[a:x = 1] START '2016-06-01T00:00:00Z' STOP '2016-06-02T00:00:00Z'",
      column: 17,
      token: "'2016-06-01T00:00:00Z'",
      code: 'wrong-constant-type',
    },
    {
      text: '[a:x = 1] REPEATS 2 TIMES REPEATS 3 TIMES',
      column: 27,
      token: 'REPEATS',
      code: 'duplicate-qualifier',
    },
    {
      text: "[a:x = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-06-02T00:00:00Z' WITHIN 5 SECONDS WITHIN 6 SECONDS",
      column: 87,
      token: 'WITHIN',
      code: 'duplicate-qualifier',
    },
    { text: '[NOT a:x = 1]', column: 6, token: 'a', code: 'unexpected-token', expected: ["'EXISTS'"] },
    {
      text: '[a:x = 1] AND NOT [a:y = 2]',
      column: 15,
      token: 'NOT',
      code: 'unexpected-token',
      expected: ["'['", "'('"],
    },
    { text: '[a:x = 1] WITHIN 0 SECONDS', column: 18, token: '0', code: 'qualifier-not-positive' },
    { text: '[a:x = 1] WITHIN -5 SECONDS', column: 18, token: '-5', code: 'qualifier-not-positive' },
    { text: '[a:x = 1] WITHIN 0.0 SECONDS', column: 18, token: '0.0', code: 'qualifier-not-positive' },
    { text: '[a:x = 1] REPEATS 0 TIMES', column: 19, token: '0', code: 'qualifier-not-positive' },
    { text: "[a:x = 'a\\tb']", column: 10, token: '\\t', code: 'invalid-escape' },
    { text: "[a:x = 'open]", column: 8, token: "'open]", code: 'unterminated-string' },
    { text: '[a:x = 01]', column: 8, token: '01', code: 'invalid-number' },
    { text: "[a:x = t'2016-06-01']", column: 8, token: "t'2016-06-01'", code: 'invalid-timestamp' },
    { text: "[a:x = b'abc']", column: 8, token: "b'abc'", code: 'invalid-binary' },
    { text: "[a:x = h'abc']", column: 8, token: "h'abc'", code: 'invalid-hex' },
    { text: '[a:x = 1] /* open', column: 11, token: '/* open', code: 'unterminated-comment' },
    { text: '[a:x = 1 # 2]', column: 10, token: '#', code: 'invalid-character' },
  ];
  for (const { text, column, token, code, expected } of cases) {
    const error = syntaxError(text);
    assert.equal(error.column, column, `column of ${text}: ${error.message}`);
    assert.equal(error.offset, column - 1);
    assert.equal(error.token, token, `token of ${text}`);
    assert.equal(error.code, code, `code of ${text}: ${error.message}`);
    if (expected !== undefined) assert.deepEqual(error.expected, expected, `expected of ${text}`);
    assert.match(error.message, new RegExp(`^column ${column}: `));
  }
});

test('"expected X, found Y" names both', () => {
  const error = syntaxError('[a:x = 1 a:y = 2]');
  assert.equal(error.message, "column 10: expected 'AND', 'OR' or ']', found 'a'");
  assert.match(syntaxError('[a:x = 1] AND').message, /found end of pattern$/);
  assert.match(syntaxError('[a:x EXISTS]').hint ?? '', /EXISTS a:x/);
});

test('keywords are reserved: they are not object types or property names unless quoted', () => {
  assert.equal(syntaxError('[AND:x = 1]').column, 2);
  assert.equal(syntaxError('[a:IN = 1]').column, 4);
  assert.equal(shape(parsePattern("[a:'IN' = 1]")), '[a:IN = 1]');
  assert.equal(syntaxError('[a:true = 1]').column, 4);
});

// ── STIX 2.0 and 2.1 ─────────────────────────────────────────────────────────

test('STIX 2.0 has no EXISTS, and may write START/STOP times as plain strings', () => {
  assert.equal(syntaxError('[EXISTS a:x]', '2.0').code, 'not-in-version');
  assert.equal(syntaxError('[a:x EXISTS]', '2.0').code, 'not-in-version');
  assert.equal(shape(parsePattern('[a:EXISTS = 1]', { stixVersion: '2.0' })), '[a:EXISTS = 1]');
  assert.equal(
    shape(
      parsePattern("[a:x = 1] START '2016-06-01T00:00:00Z' STOP '2016-07-01T00:00:00Z'", {
        stixVersion: '2.0',
      }),
    ),
    '(START 2016-06-01T00:00:00Z STOP 2016-07-01T00:00:00Z [a:x = 1])',
  );
  // The reference implementation's STIX 2.0 grammar takes t'…' there, the published one a string: both parse.
  assert.equal(
    shape(
      parsePattern("[a:x = 1] START t'2016-06-01T00:00:00Z' STOP '2016-07-01T00:00:00Z'", {
        stixVersion: '2.0',
      }),
    ),
    '(START 2016-06-01T00:00:00Z STOP 2016-07-01T00:00:00Z [a:x = 1])',
  );
  const bad = syntaxError("[a:x = 1] START 'June' STOP '2016-07-01T00:00:00Z'", '2.0');
  assert.equal(bad.code, 'invalid-timestamp');
  assert.equal(bad.column, 17);
});

test('the default version is 2.1', () => {
  assert.equal(comparisonOf(parsePattern('[EXISTS a:x]')).operator, 'EXISTS');
});

// ── Recovery ─────────────────────────────────────────────────────────────────

test('the parser recovers at ], AND, OR and FOLLOWEDBY and reports every error', () => {
  const columns = (text: string): number[] =>
    parseWithDiagnostics(text)
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => d.start + 1);
  assert.deepEqual(columns('[a:x = ] AND [b:y = 1'), [8, 22]);
  const three = '[a:x = 1 AND ] OR [b:y LIKE 1] FOLLOWEDBY [c:z == ]';
  assert.deepEqual(columns(three), [
    three.indexOf(']') + 1,
    three.indexOf('1]') + 1,
    three.lastIndexOf(']') + 1,
  ]);
  const missingAnd = '[a:x = 1 b:y = 2 AND c:z = 3] AND [d:w = ]';
  assert.deepEqual(columns(missingAnd), [missingAnd.indexOf('b') + 1, missingAnd.lastIndexOf(']') + 1]);
  assert.deepEqual(columns('[a:x = 1 OR a:y CONTAINS 2 OR a:z EXISTS]'), [17, 35]);
  assert.deepEqual(columns("[a:x = 'unterminated"), [8]);
  const result = parseWithDiagnostics('[a:x = ] AND [b:y = 1');
  assert.equal(result.pattern, null);
});

test('a valid pattern parses with no diagnostics other than its operator-alias warnings', () => {
  assert.deepEqual(parseWithDiagnostics('[a:x = 1]').diagnostics, []);
  const aliases = parseWithDiagnostics('[a:x == 1 AND a:y <> 2]').diagnostics;
  assert.deepEqual(
    aliases.map((d) => [d.code, d.severity, d.start]),
    [
      ['operator-alias', 'warning', 5],
      ['operator-alias', 'warning', 18],
    ],
  );
});

// ── Depth ────────────────────────────────────────────────────────────────────

test(`nesting deeper than ${MAX_NESTING_DEPTH} levels is a clear error, not a stack overflow`, () => {
  const nest = (depth: number): string => `${'('.repeat(depth)}[a:x = 1]${')'.repeat(depth)}`;
  assert.equal(shape(parsePattern(nest(MAX_NESTING_DEPTH - 1))), '[a:x = 1]');
  const deep = syntaxError(nest(100_000));
  assert.equal(deep.code, 'nesting-too-deep');
  assert.equal(deep.column, MAX_NESTING_DEPTH + 1);
  const inner = syntaxError(`[${'('.repeat(5000)}a:x = 1${')'.repeat(5000)}]`);
  assert.equal(inner.code, 'nesting-too-deep');
});

test(`chains of more than ${MAX_NESTING_DEPTH} operators are refused, shorter ones parse`, () => {
  const chain = (count: number): string =>
    Array.from({ length: count }, (_, i) => `[a:x = ${i}]`).join(' AND ');
  assert.equal(parsePattern(chain(500)).kind, 'observation-binary');
  assert.equal(syntaxError(chain(MAX_NESTING_DEPTH + 5)).code, 'nesting-too-deep');
  const comparisons = `[${Array.from({ length: 3000 }, (_, i) => `a:x = ${i}`).join(' OR ')}]`;
  assert.equal(syntaxError(comparisons).code, 'nesting-too-deep');
});
