import { section, syntaxError, type ConformanceCase } from '../case.js';
import { observed, stixId, type JsonObject } from '../observations.js';

const rule = section('9.6.1 Comparison Operators');
const file = (props: JsonObject): JsonObject => observed([{ type: 'file', ...props }]);
const sized = file({ name: 'foo.dll', size: 25536 });

const equality: ConformanceCase[] = [
  rule('= holds for an equal string', "[file:name = 'foo.dll']", [sized], true),
  rule('= fails for a different string', "[file:name = 'bar.dll']", [sized], false),
  rule('= on strings is case-sensitive', "[file:name = 'FOO.DLL']", [sized], false),
  rule('= on strings needs the whole string', "[file:name = 'foo']", [sized], false),
  rule('= holds for an equal integer', '[file:size = 25536]', [sized], true),
  rule('= fails for a different integer', '[file:size = 25537]', [sized], false),
  rule(
    '= integer against a float value compares the full value',
    '[file:size = 1]',
    [file({ size: 1.5 })],
    false,
  ),
  rule(
    '= float against an integer value compares numerically',
    '[file:size = 2.0]',
    [file({ size: 2 })],
    true,
  ),
  rule('= holds for an equal float', '[file:x_ratio = 1.5]', [file({ x_ratio: 1.5 })], true),
  rule('= holds for an equal negative integer', '[file:x_delta = -5]', [file({ x_delta: -5 })], true),
  rule('= holds for true', '[file:x_flag = true]', [file({ x_flag: true })], true),
  rule('= true fails on false', '[file:x_flag = true]', [file({ x_flag: false })], false),
  rule('= holds for false', '[file:x_flag = false]', [file({ x_flag: false })], true),
  rule(
    '= string against an integer property is false (incompatible types)',
    "[file:size = '25536']",
    [sized],
    false,
  ),
  rule(
    '= integer against a string property is false (incompatible types)',
    '[file:name = 1]',
    [file({ name: '1' })],
    false,
  ),
  rule(
    '= boolean against an integer property is false (incompatible types)',
    '[file:size = true]',
    [file({ size: 1 })],
    false,
  ),
  rule(
    '= integer against a boolean property is false (incompatible types)',
    '[file:x_flag = 1]',
    [file({ x_flag: true })],
    false,
  ),
  rule(
    '= string against a boolean property is false (incompatible types)',
    "[file:x_flag = 'true']",
    [file({ x_flag: true })],
    false,
  ),
  rule(
    '= against a list property is false (a list is not a string)',
    "[file:x_tags = 'a']",
    [file({ x_tags: ['a'] })],
    false,
  ),
  rule(
    '= against a dictionary property is false',
    "[file:hashes = 'a']",
    [file({ hashes: { MD5: 'a' } })],
    false,
  ),
  rule('!= holds for a different string', "[file:name != 'bar.dll']", [sized], true),
  rule('!= fails for an equal string', "[file:name != 'foo.dll']", [sized], false),
  rule('!= holds for a different integer', '[file:size != 4112]', [sized], true),
  rule('!= fails for an equal integer', '[file:size != 25536]', [sized], false),
  rule('!= on incompatible types is true (the sole exception)', "[file:size != 'x']", [sized], true),
  rule(
    '!= boolean against an integer property is true (incompatible)',
    '[file:size != false]',
    [sized],
    true,
  ),
  rule('NOT = negates an unequal string to true', "[file:name NOT = 'bar.dll']", [sized], true),
  rule('NOT = negates an equal string to false', "[file:name NOT = 'foo.dll']", [sized], false),
  rule('NOT != negates an equal value to true', '[file:size NOT != 25536]', [sized], true),
  rule('NOT != negates a different value to false', '[file:size NOT != 1]', [sized], false),
  rule('NOT = on incompatible types is true (negation of false)', "[file:size NOT = 'x']", [sized], true),
];

const ordering: ConformanceCase[] = [
  rule('> holds when numerically greater', '[file:size > 256]', [sized], true),
  rule('> fails when equal', '[file:size > 25536]', [sized], false),
  rule('> fails when less', '[file:size > 30000]', [sized], false),
  rule('< holds when numerically less', '[file:size < 30000]', [sized], true),
  rule('< fails when equal', '[file:size < 25536]', [sized], false),
  rule('<= holds when equal', '[file:size <= 25536]', [sized], true),
  rule('<= fails when greater', '[file:size <= 25535]', [sized], false),
  rule('>= holds when equal', '[file:size >= 25536]', [sized], true),
  rule('>= fails when less', '[file:size >= 25537]', [sized], false),
  rule('> with a float constant against an integer', '[file:size > 25535.5]', [sized], true),
  rule('< with an integer constant against a float', '[file:x_ratio < 2]', [file({ x_ratio: 1.5 })], true),
  rule('> with a negative constant', '[file:x_delta > -10]', [file({ x_delta: -5 })], true),
  rule('< with a negative float constant', '[file:x_delta < -4.5]', [file({ x_delta: -5 })], true),
  rule('> on strings is lexical', "[file:name > 'a']", [file({ name: 'b' })], true),
  rule('< on strings is lexical', "[file:name < 'a']", [file({ name: 'b' })], false),
  rule('>= on equal strings', "[file:name >= 'abc']", [file({ name: 'abc' })], true),
  rule('<= on equal strings', "[file:name <= 'abc']", [file({ name: 'abc' })], true),
  rule('> on incompatible types is false', "[file:size > 'a']", [sized], false),
  rule('< on incompatible types is false', '[file:name < 5]', [sized], false),
  rule('> against a boolean property is false', '[file:x_flag > 0]', [file({ x_flag: true })], false),
  rule('NOT > negates a true comparison', '[file:size NOT > 256]', [sized], false),
  rule('NOT < negates a false comparison', '[file:size NOT < 256]', [sized], true),
  rule('NOT > on incompatible types is true (negation of false)', "[file:size NOT > 'a']", [sized], true, {
    referenceDeviation: 'ref-not-order-incompatible',
  }),
  rule('NOT >= negates', '[file:size NOT >= 25537]', [sized], true),
  rule('NOT <= negates', '[file:size NOT <= 25537]', [sized], false),
];

const membership: ConformanceCase[] = [
  rule(
    'IN holds when the value is in the set',
    "[process:name IN ('proccy', 'proximus', 'badproc')]",
    [observed([{ type: 'process', name: 'proximus' }])],
    true,
  ),
  rule(
    'IN fails when the value is not in the set',
    "[process:name IN ('proccy', 'proximus')]",
    [observed([{ type: 'process', name: 'bash' }])],
    false,
  ),
  rule('IN with a one-element set', "[file:name IN ('foo.dll')]", [sized], true),
  rule('IN with integers', '[file:size IN (1, 25536, 3)]', [sized], true),
  rule('IN with integers, absent', '[file:size IN (1, 2, 3)]', [sized], false),
  rule('IN with floats', '[file:x_ratio IN (0.5, 1.5)]', [file({ x_ratio: 1.5 })], true),
  rule('IN with booleans', '[file:x_flag IN (true)]', [file({ x_flag: true })], true),
  rule('IN is case-sensitive on strings', "[file:name IN ('FOO.DLL', 'BAR')]", [sized], false),
  rule('IN with strings against an integer property is false', "[file:size IN ('25536')]", [sized], false),
  rule(
    'IN with integers against a boolean property is false (incompatible types)',
    '[file:x_flag IN (1, 2)]',
    [file({ x_flag: true })],
    false,
    { referenceDeviation: 'ref-bool-int-set-membership' },
  ),
  rule(
    'IN with booleans against an integer property is false (incompatible types)',
    '[file:size IN (true, false)]',
    [file({ size: 0 })],
    false,
    { referenceDeviation: 'ref-bool-int-set-membership' },
  ),
  rule('NOT IN holds when the value is not in the set', "[file:name NOT IN ('a', 'b')]", [sized], true),
  rule('NOT IN fails when the value is in the set', "[file:name NOT IN ('foo.dll', 'b')]", [sized], false),
  rule('NOT IN on incompatible types is true', '[file:name NOT IN (1, 2)]', [sized], true),
  rule('IN set values MUST be of one type', "[file:name IN ('foo.dll', 1)]", [sized], syntaxError(15)),
  rule(
    'IN with hex constants against a binary property',
    "[artifact:payload_bin IN (h'00', h'7468697320697320612074657374')]",
    [observed([{ type: 'artifact', payload_bin: 'dGhpcyBpcyBhIHRlc3Q=' }])],
    true,
  ),
  rule(
    'IN with binary constants against a _hex property',
    "[x-thing:x_data_hex IN (b'YWJj', b'AA==')]",
    [observed([{ type: 'x-thing', x_data_hex: '616263' }])],
    true,
  ),
  rule(
    'IN with timestamps compares instants',
    "[file:ctime IN (t'2019-01-01T00:00:00Z', t'2020-01-01T00:00:00Z')]",
    [file({ ctime: '2020-01-01T00:00:00.000Z' })],
    true,
  ),
  // IN is equality with one of the values (9.6.1), and 9.6.4 makes a string constant compare as octets
  // against a binary property (the reference keeps strings and bytes unequal inside IN).
  rule(
    'IN with a string constant against a binary property compares octets',
    "[artifact:payload_bin IN ('this is a test')]",
    [observed([{ type: 'artifact', payload_bin: 'dGhpcyBpcyBhIHRlc3Q=' }])],
    true,
    { referenceDeviation: 'ref-in-binary-string' },
  ),
  rule(
    'IN with a hex constant against a string property compares octets',
    "[file:name IN (h'616263')]",
    [file({ name: 'abc' })],
    true,
    { referenceDeviation: 'ref-in-binary-string' },
  ),
  rule(
    "IN with a hex constant that is not the string's octets",
    "[file:name IN (h'616264')]",
    [file({ name: 'abc' })],
    false,
  ),
];

const like: ConformanceCase[] = [
  rule('LIKE % matches any suffix', "[file:name LIKE 'foo%']", [sized], true),
  rule('LIKE % matches any prefix', "[file:name LIKE '%.dll']", [sized], true),
  rule('LIKE % matches the empty string', "[file:name LIKE 'foo.dll%']", [sized], true),
  rule('LIKE % in the middle', "[file:name LIKE 'f%l']", [sized], true),
  rule('LIKE _ matches exactly one character', "[file:name LIKE 'fo_.dll']", [sized], true),
  rule('LIKE _ does not match zero characters', "[file:name LIKE 'foo_.dll']", [sized], false),
  rule('LIKE _ does not match two characters', "[file:name LIKE 'f_.dll']", [sized], false),
  rule('LIKE without wildcards matches the whole string only', "[file:name LIKE 'foo']", [sized], false),
  rule('LIKE is case-sensitive', "[file:name LIKE 'FOO%']", [sized], false),
  rule('LIKE treats regex characters literally', "[file:name LIKE 'a.c']", [file({ name: 'abc' })], false),
  rule('LIKE treats a dot literally when present', "[file:name LIKE 'a.c']", [file({ name: 'a.c' })], true),
  rule(
    'LIKE treats brackets and stars literally',
    "[file:name LIKE '[a]*+?']",
    [file({ name: '[a]*+?' })],
    true,
  ),
  rule(
    'LIKE with escaped backslashes (the spec example)',
    "[directory:path LIKE 'C:\\\\Windows\\\\%\\\\foo']",
    [observed([{ type: 'directory', path: 'C:\\Windows\\System32\\foo' }])],
    true,
  ),
  rule('LIKE against a non-string value is false', "[file:size LIKE '2%']", [sized], false),
  rule('NOT LIKE negates a match', "[file:name NOT LIKE 'foo%']", [sized], false),
  rule('NOT LIKE negates a non-match', "[file:name NOT LIKE 'bar%']", [sized], true),
  rule('NOT LIKE against a non-string value is true', "[file:size NOT LIKE '2%']", [sized], true),
  rule(
    'LIKE NFC-normalises the value (decomposed é matches composed)',
    "[file:name LIKE 'caf\u00e9%']",
    [file({ name: 'cafe\u0301.txt' })],
    true,
  ),
  rule(
    'LIKE NFC-normalises the constant (decomposed constant matches composed)',
    "[file:name LIKE 'cafe\u0301%']",
    [file({ name: 'caf\u00e9.txt' })],
    true,
  ),
  rule(
    'LIKE _ matches one composed code point',
    "[file:name LIKE 'caf_']",
    [file({ name: 'cafe\u0301' })],
    true,
  ),
  rule('LIKE % matches across a line feed', "[file:name LIKE 'a%b']", [file({ name: 'a\nb' })], true, {
    referenceDeviation: 'ref-like-newline',
  }),
  rule('LIKE _ matches a line feed', "[file:name LIKE 'a_b']", [file({ name: 'a\nb' })], true, {
    referenceDeviation: 'ref-like-newline',
  }),
  rule(
    'LIKE must match the whole value, a trailing line feed included',
    "[file:name LIKE 'abc']",
    [file({ name: 'abc\n' })],
    false,
    { referenceDeviation: 'ref-like-newline' },
  ),
];

const matches: ConformanceCase[] = [
  rule(
    'MATCHES searches (an unanchored regex matches a substring)',
    "[file:name MATCHES 'oo\\\\.d']",
    [sized],
    true,
  ),
  rule('MATCHES with anchors matches the whole value', "[file:name MATCHES '^foo\\\\.dll$']", [sized], true),
  rule('MATCHES with anchors fails on a substring', "[file:name MATCHES '^oo']", [sized], false),
  rule('MATCHES character classes', "[file:name MATCHES '^[a-z]+\\\\.[a-z]{3}$']", [sized], true),
  rule('MATCHES alternation', "[file:name MATCHES '^(bar|foo)']", [sized], true),
  rule('MATCHES is case-sensitive by default', "[file:name MATCHES '^FOO']", [sized], false),
  rule('MATCHES honours an inline case-insensitive flag', "[file:name MATCHES '(?i)^FOO']", [sized], true),
  rule('MATCHES \\d matches digits', "[file:name MATCHES '\\\\d+']", [file({ name: 'a42' })], true),
  rule(
    'MATCHES the spec example',
    "[directory:path MATCHES '^C:\\\\\\\\Windows\\\\w+$']",
    [observed([{ type: 'directory', path: 'C:\\WindowsSystem32' }])],
    true,
  ),
  rule('MATCHES against a non-string value is false', "[file:size MATCHES '2']", [sized], false),
  rule('NOT MATCHES negates a match', "[file:name NOT MATCHES 'foo']", [sized], false),
  rule('NOT MATCHES negates a non-match', "[file:name NOT MATCHES 'bar']", [sized], true),
  rule('NOT MATCHES against a non-string value is true', "[file:size NOT MATCHES '2']", [sized], true),
  rule(
    'MATCHES with a code point above U+00FF never matches a binary property',
    "[artifact:payload_bin MATCHES 't\u0113st']",
    [observed([{ type: 'artifact', payload_bin: 'dGhpcyBpcyBhIHRlc3Q=' }])],
    false,
  ),
  rule(
    'MATCHES uses DOTALL: . matches a line feed',
    "[file:name MATCHES '^a.b$']",
    [file({ name: 'a\nb' })],
    true,
    {
      referenceDeviation: 'ref-matches-no-dotall',
    },
  ),
  rule(
    'MATCHES NFC-normalises the value',
    "[file:name MATCHES '^caf\u00e9$']",
    [file({ name: 'cafe\u0301' })],
    true,
  ),
  rule(
    'MATCHES against a binary property matches its bytes',
    "[artifact:payload_bin MATCHES '^this is']",
    [observed([{ type: 'artifact', payload_bin: 'dGhpcyBpcyBhIHRlc3Q=' }])],
    true,
  ),
  rule(
    'MATCHES against a hex property matches its bytes',
    "[x-thing:x_data_hex MATCHES 'bc$']",
    [observed([{ type: 'x-thing', x_data_hex: '616263' }])],
    true,
  ),
];

const regexLimits: ConformanceCase[] = [
  rule(
    'MATCHES with an invalid regular expression is an invalid pattern',
    "[file:name MATCHES '(a']",
    [sized],
    syntaxError(20),
  ),
  rule(
    'MATCHES rejects backreferences (linear-time engine)',
    "[file:name MATCHES '(o)\\\\1']",
    [sized],
    syntaxError(20),
    { referenceDeviation: 'choice-linear-regex' },
  ),
  rule(
    'MATCHES rejects lookahead (linear-time engine)',
    "[file:name MATCHES 'foo(?=\\\\.)']",
    [sized],
    syntaxError(20),
    { referenceDeviation: 'choice-linear-regex' },
  ),
  rule(
    'MATCHES rejects lookbehind (linear-time engine)',
    "[file:name MATCHES '(?<=f)oo']",
    [sized],
    syntaxError(20),
    { referenceDeviation: 'choice-linear-regex' },
  ),
];

const exists: ConformanceCase[] = [
  rule(
    'EXISTS holds when the property is present',
    '[EXISTS windows-registry-key:values]',
    [observed([{ type: 'windows-registry-key', key: 'hkey', values: [] }])],
    true,
  ),
  rule(
    'EXISTS fails when the property is absent',
    '[EXISTS windows-registry-key:values]',
    [observed([{ type: 'windows-registry-key', key: 'hkey' }])],
    false,
  ),
  rule(
    'EXISTS on a nested dictionary key',
    '[EXISTS file:hashes.MD5]',
    [file({ hashes: { MD5: 'x' } })],
    true,
  ),
  rule(
    'EXISTS on an absent nested key',
    '[EXISTS file:hashes.MD5]',
    [file({ hashes: { SHA1: 'x' } })],
    false,
  ),
  rule('EXISTS on a list element in range', '[EXISTS file:x_tags[1]]', [file({ x_tags: ['a', 'b'] })], true),
  rule(
    'EXISTS on a list element out of range',
    '[EXISTS file:x_tags[2]]',
    [file({ x_tags: ['a', 'b'] })],
    false,
  ),
  rule('EXISTS holds whatever the value (false)', '[EXISTS file:x_flag]', [file({ x_flag: false })], true),
  rule('EXISTS fails when no object of the type is present', '[EXISTS process:pid]', [sized], false),
  rule(
    'EXISTS through a reference',
    '[EXISTS network-traffic:src_ref.value]',
    [
      observed([
        {
          type: 'network-traffic',
          id: stixId('network-traffic', 0xe001),
          src_ref: stixId('ipv4-addr', 0xe001),
          protocols: ['tcp'],
        },
        { type: 'ipv4-addr', id: stixId('ipv4-addr', 0xe001), value: '10.0.0.1' },
      ]),
    ],
    true,
  ),
  rule(
    'EXISTS through a dangling reference is false',
    '[EXISTS network-traffic:src_ref.value]',
    [observed([{ type: 'network-traffic', src_ref: stixId('ipv4-addr', 0xe0ff), protocols: ['tcp'] }])],
    false,
  ),
  rule('NOT EXISTS holds when the property is absent', '[NOT EXISTS file:hashes]', [sized], true, {
    referenceDeviation: 'ref-not-exists-ignored',
  }),
  rule('NOT EXISTS fails when the property is present', '[NOT EXISTS file:name]', [sized], false, {
    referenceDeviation: 'ref-not-exists-ignored',
  }),
  rule(
    'EXISTS joined by AND binds the same object',
    "[EXISTS file:hashes AND file:name = 'foo.dll']",
    [file({ name: 'foo.dll', hashes: { MD5: 'x' } })],
    true,
    { referenceDeviation: 'ref-exists-in-boolean' },
  ),
  rule(
    'EXISTS joined by AND fails when another object has the property',
    "[EXISTS file:hashes AND file:name = 'foo.dll']",
    [
      observed([
        { type: 'file', name: 'foo.dll' },
        { type: 'file', name: 'b', hashes: { MD5: 'x' } },
      ]),
    ],
    false,
    { referenceDeviation: 'ref-exists-in-boolean' },
  ),
  rule('EXISTS joined by OR', "[EXISTS file:hashes OR file:name = 'foo.dll']", [sized], true),
];

export const comparisonOperatorCases: readonly ConformanceCase[] = [
  ...equality,
  ...ordering,
  ...membership,
  ...like,
  ...matches,
  ...regexLimits,
  ...exists,
];
