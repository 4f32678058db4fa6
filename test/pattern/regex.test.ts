import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { compileRegex, translatePythonRegex, UnsupportedRegexError } from '../../src/pattern/regex.js';

const search = (regex: string, text: string) => compileRegex(regex).searchText(text);

test('MATCHES searches anywhere unless anchored', () => {
  assert.ok(search('b', 'abc'));
  assert.ok(!search('^b', 'abc'));
  assert.ok(search('^a.c$', 'abc'));
  assert.ok(search('^a.c$', 'a\nc'), 'DOTALL, as STIX 2.1 §9.6.1 requires (the reference lacks it)');
  assert.ok(!search('(?-s)^a.c$', 'a\nc'), 'inline flags work');
  assert.ok(search('(?i)ABC', 'xabcx'));
});

test('Python spellings become RE2 spellings', () => {
  assert.equal(translatePythonRegex('a\\Z', 'unicode'), 'a\\z');
  assert.equal(translatePythonRegex('\\u00e9', 'unicode'), '\\x{00e9}');
  assert.equal(translatePythonRegex('\\U0001F600', 'unicode'), '\\x{0001F600}');
  assert.equal(translatePythonRegex('a{,3}', 'unicode'), 'a{0,3}');
  assert.equal(translatePythonRegex('a(?#note)b', 'unicode'), 'ab');
  assert.equal(translatePythonRegex('\\101', 'unicode'), '\\x{41}');
  assert.ok(search('\\u00e9', 'caf\u00e9'));
  assert.ok(search('^x{,2}$', 'xx') && !search('^x{,2}$', 'xxx'));
});

test('$ also matches before a final newline, as in Python (unless (?m) is used)', () => {
  assert.ok(search('abc$', 'abc\n'));
  assert.ok(!search('abc$', 'abc\n\n'));
  assert.ok(!search('abc\\Z', 'abc\n'), '\\Z is the very end');
  assert.ok(search('(?m)^b$', 'a\nb\nc'));
});

test('Python str patterns have Unicode \\d \\w \\s; bytes patterns ASCII ones', () => {
  assert.ok(search('^\\d$', '\u0663'), 'Arabic-Indic three is a digit');
  assert.ok(search('^\\w+$', 'caf\u00e9'));
  assert.ok(search('^\\s$', '\u00a0'));
  assert.ok(search('^\\s$', '\x0b'), 'vertical tab is whitespace in Python, not in RE2');
  assert.ok(search('^[\\w-]+$', 'na\u00efve-x'));
  assert.ok(!search('^\\W$', '\u00e9'));
  const bytes = compileRegex('^\\w$').searchBytes;
  assert.ok(bytes, 'a Latin-1 expression can scan bytes');
  assert.ok(bytes('a'));
  assert.ok(!bytes('\u00e9'), 'byte 0xE9 is not a word character in a bytes pattern');
  assert.equal(compileRegex('\u0100').searchBytes, undefined, 'a code point over 255 can never match bytes');
});

test('constructs a linear-time engine cannot run are rejected, naming the construct', () => {
  const cases: [string, RegExp][] = [
    ['(a)\\1', /backreferences/],
    ['(?P<x>a)(?P=x)', /backreferences/],
    ['a(?=b)', /lookahead and lookbehind/],
    ['a(?!b)', /lookahead and lookbehind/],
    ['(?<=a)b', /lookahead and lookbehind/],
    ['(?<!a)b', /lookahead and lookbehind/],
    ['(?>a)', /atomic groups/],
    ['a++', /possessive/],
    ['(?(1)a|b)', /conditional/],
    ['(?x) a b', /verbose/],
    ['\\N{BULLET}', /named character/],
    ['(unclosed', /invalid or unsupported regular expression/],
    ['a\\', /trailing backslash/],
  ];
  for (const [regex, message] of cases) {
    assert.throws(
      () => compileRegex(regex),
      (error: unknown) => error instanceof UnsupportedRegexError && message.test(error.message),
      regex,
    );
  }
});

test('catastrophic-backtracking expressions run in linear time', () => {
  // (a+)+$ against a long non-matching string hangs a backtracking engine; here it must simply answer false.
  assert.ok(!search('^(a+)+$', `${'a'.repeat(5000)}!`));
  assert.ok(!search('(x+x+)+y', 'x'.repeat(5000)));
});

const pythonAvailable = (() => {
  try {
    execFileSync('python3', ['-c', 'import re'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

test(
  "agrees with Python re.search with DOTALL (the reference matcher's engine, plus the flag the spec asks for) on a corpus",
  { skip: !pythonAvailable },
  () => {
    const regexes = [
      '^a.c$',
      'abc$',
      '\\d+',
      '^\\w+$',
      '\\s',
      '[^\\d]x',
      '^x{,2}$',
      '(?i)straße',
      '\\bfoo\\b',
      'a|b|',
      '[]a]',
      '[^]a]',
      '\\x41',
      '\\101',
      '\\Aab',
      'b\\Z',
      '[\\s\\d]+$',
      '.*',
    ];
    const texts = [
      'abc',
      'abc\n',
      'a\nc',
      '٣',
      'café',
      ' ',
      '\u00a0',
      'yx',
      'x',
      'xx',
      'xxx',
      'STRASSE',
      'straße',
      'foo bar',
      'food',
      '',
      ']',
      'A',
      'ab',
      'b\n',
      '1 2\n',
    ];
    const script = `import json,re,sys
rs,ts=json.load(sys.stdin)
print(json.dumps([[bool(re.search(r,t,re.S)) for t in ts] for r in rs]))`;
    const expected = JSON.parse(
      execFileSync('python3', ['-c', script], { input: JSON.stringify([regexes, texts]) }).toString(),
    ) as boolean[][];
    regexes.forEach((regex, r) => {
      texts.forEach((text, t) => {
        assert.equal(
          search(regex, text),
          expected[r]?.[t],
          `${JSON.stringify(regex)} on ${JSON.stringify(text)}`,
        );
      });
    });
  },
);
