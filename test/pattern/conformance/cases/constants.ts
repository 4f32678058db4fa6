import { section, syntaxError, type ConformanceCase } from '../case.js';
import { observed, type JsonObject } from '../observations.js';

const constants = section('9.2 Constants');
const strings = section('9.6.2 String Comparison');
const binary = section('9.6.3 Binary Type Comparison');
const native = section('9.6.4 Native Format Comparison');
const file = (props: JsonObject): JsonObject => observed([{ type: 'file', ...props }]);
const artifact = observed([
  { type: 'artifact', mime_type: 'application/octet-stream', payload_bin: 'dGhpcyBpcyBhIHRlc3Q=' },
]);

const stringConstants: ConformanceCase[] = [
  constants("string: \\' stands for an apostrophe", "[file:name = 'it\\'s']", [file({ name: "it's" })], true),
  constants('string: \\\\ stands for a backslash', "[file:name = 'a\\\\b']", [file({ name: 'a\\b' })], true),
  constants(
    'string: an escaped backslash may end the string',
    "[file:name = 'dir\\\\']",
    [file({ name: 'dir\\' })],
    true,
  ),
  constants(
    'string: escapes are resolved before comparing',
    "[file:name = 'a\\\\b']",
    [file({ name: 'a\\\\b' })],
    false,
  ),
  constants(
    'string: any other escape is invalid (the error points at the escape)',
    "[file:name = 'a\\nb']",
    [file({ name: 'a\nb' })],
    syntaxError(16),
  ),
  constants(
    'string: a lone backslash before the closing quote leaves it unterminated',
    "[file:name = 'a\\']",
    [file({ name: 'a' })],
    syntaxError(14),
  ),
  constants(
    'string: an unterminated string is invalid',
    "[file:name = 'abc]",
    [file({ name: 'abc' })],
    syntaxError(14),
  ),
  constants('string: the empty string', "[file:name = '']", [file({ name: '' })], true),
  constants(
    'string: the empty string differs from a space',
    "[file:name = '']",
    [file({ name: ' ' })],
    false,
  ),
  constants(
    'string: Unicode code points are compared as written',
    "[file:name = '\u00fcber\u{1f600}']",
    [file({ name: '\u00fcber\u{1f600}' })],
    true,
  ),
  constants(
    'string: double quotes are ordinary characters',
    '[file:name = \'say "hi"\']',
    [file({ name: 'say "hi"' })],
    true,
  ),
  constants(
    'string: a line feed inside the constant is kept',
    "[file:name = 'a\nb']",
    [file({ name: 'a\nb' })],
    true,
  ),
];

const numberConstants: ConformanceCase[] = [
  constants('integer: zero', '[file:size = 0]', [file({ size: 0 })], true),
  constants(
    'integer: negative integers take a hyphen-minus',
    '[file:x_delta = -42]',
    [file({ x_delta: -42 })],
    true,
  ),
  constants(
    'integer: a negative constant differs from its absolute value',
    '[file:x_delta = -42]',
    [file({ x_delta: 42 })],
    false,
  ),
  constants(
    'integer: large values within 2^53 compare exactly',
    '[file:size = 9007199254740991]',
    [file({ size: 9007199254740991 })],
    true,
  ),
  constants(
    'integer: large values differing by one are unequal',
    '[file:size = 9007199254740990]',
    [file({ size: 9007199254740991 })],
    false,
  ),
  constants('float: decimal fractions', '[file:x_ratio = 0.25]', [file({ x_ratio: 0.25 })], true),
  constants(
    'float: negative floats take a hyphen-minus',
    '[file:x_ratio = -0.25]',
    [file({ x_ratio: -0.25 })],
    true,
  ),
  constants(
    'float: compared against an integer value numerically',
    '[file:size < 10.5]',
    [file({ size: 10 })],
    true,
  ),
  constants(
    'integer: compared against a float value without truncation',
    '[file:x_ratio > 1]',
    [file({ x_ratio: 1.5 })],
    true,
  ),
  constants(
    'integer: 1 against 1.5 is not equal (the spec example)',
    '[file:x_ratio != 1]',
    [file({ x_ratio: 1.5 })],
    true,
  ),
];

const booleanConstants: ConformanceCase[] = [
  constants('boolean: true', '[file:x_flag = true]', [file({ x_flag: true })], true),
  constants('boolean: false', '[file:x_flag = false]', [file({ x_flag: true })], false),
  constants(
    'boolean: only lower-case literals are booleans',
    '[file:x_flag = TRUE]',
    [file({ x_flag: true })],
    syntaxError(16, 'TRUE'),
  ),
  constants('boolean: != true on false', '[file:x_flag != true]', [file({ x_flag: false })], true),
];

const timestampConstants: ConformanceCase[] = [
  constants(
    'timestamp: equal to the same instant',
    "[file:ctime = t'2014-01-13T07:03:17Z']",
    [file({ ctime: '2014-01-13T07:03:17Z' })],
    true,
  ),
  constants(
    'timestamp: compared as instants, not text',
    "[file:ctime = t'2014-01-13T07:03:17Z']",
    [file({ ctime: '2014-01-13T07:03:17.000Z' })],
    true,
  ),
  constants(
    'timestamp: fractional seconds count',
    "[file:ctime = t'2014-01-13T07:03:17.5Z']",
    [file({ ctime: '2014-01-13T07:03:17Z' })],
    false,
  ),
  constants(
    'timestamp: a later instant is greater',
    "[file:ctime > t'2014-01-13T07:03:17Z']",
    [file({ ctime: '2014-01-13T07:03:18Z' })],
    true,
  ),
  constants(
    'timestamp: an earlier instant is less',
    "[file:ctime < t'2014-01-13T07:03:17Z']",
    [file({ ctime: '2013-12-31T23:59:59Z' })],
    true,
  ),
  constants(
    'timestamp: <= on the same instant',
    "[file:ctime <= t'2014-01-13T07:03:17.000Z']",
    [file({ ctime: '2014-01-13T07:03:17Z' })],
    true,
  ),
  constants(
    'timestamp: against an integer property is false',
    "[file:size = t'2014-01-13T07:03:17Z']",
    [file({ size: 1 })],
    false,
  ),
  constants(
    'timestamp: against a string that is not a timestamp is false (incompatible types)',
    "[file:name = t'2014-01-13T07:03:17Z']",
    [file({ name: 'a.exe' })],
    false,
    {
      referenceDeviation: 'ref-timestamp-against-string',
    },
  ),
  constants(
    'timestamp: != against a string that is not a timestamp is true',
    "[file:name != t'2014-01-13T07:03:17Z']",
    [file({ name: 'a.exe' })],
    true,
    {
      referenceDeviation: 'ref-timestamp-against-string',
    },
  ),
  constants(
    'timestamp: a month of 13 is invalid',
    "[file:ctime = t'2014-13-13T07:03:17Z']",
    [file({ ctime: '2014-01-13T07:03:17Z' })],
    syntaxError(15),
  ),
  constants(
    'timestamp: the time zone must be Z',
    "[file:ctime = t'2014-01-13T07:03:17+01:00']",
    [file({ ctime: '2014-01-13T07:03:17Z' })],
    syntaxError(15),
  ),
  constants(
    'timestamp: the time is required',
    "[file:ctime = t'2014-01-13']",
    [file({ ctime: '2014-01-13T00:00:00Z' })],
    syntaxError(15),
  ),
  constants(
    'timestamp: a day of 32 is invalid',
    "[file:ctime = t'2014-01-32T00:00:00Z']",
    [file({ ctime: '2014-01-13T00:00:00Z' })],
    syntaxError(15),
  ),
];

const binaryConstants: ConformanceCase[] = [
  constants("binary: b'…' is base64", "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']", [artifact], true),
  constants(
    'binary: different bytes are unequal',
    "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3R4']",
    [artifact],
    false,
  ),
  constants(
    'binary: invalid base64 is invalid',
    "[artifact:payload_bin = b'ab=c']",
    [artifact],
    syntaxError(25),
  ),
  constants(
    'binary: a base64 character outside the alphabet is invalid',
    "[artifact:payload_bin = b'ab$d']",
    [artifact],
    syntaxError(25),
  ),
  constants(
    "hex: h'…' is hexadecimal octets",
    "[artifact:payload_bin = h'7468697320697320612074657374']",
    [artifact],
    true,
  ),
  constants(
    'hex: different octets are unequal',
    "[artifact:payload_bin = h'7468697320697320612074657375']",
    [artifact],
    false,
  ),
  constants(
    'hex: an odd number of digits is invalid',
    "[artifact:payload_bin = h'abc']",
    [artifact],
    syntaxError(25),
  ),
  constants('hex: a non-hex digit is invalid', "[artifact:payload_bin = h'zz']", [artifact], syntaxError(25)),
  constants(
    'hex: against a string property compares the string as octets',
    "[file:name = h'616263']",
    [file({ name: 'abc' })],
    true,
  ),
  constants(
    'binary: against a string property compares the string as octets',
    "[file:name = b'YWJj']",
    [file({ name: 'abc' })],
    true,
  ),
  constants(
    'hex: equals binary with the same octets',
    "[x-thing:x_data_hex = b'YWJj']",
    [observed([{ type: 'x-thing', x_data_hex: '616263' }])],
    true,
  ),
];

const stringComparison: ConformanceCase[] = [
  strings('code point comparison: o < oz', "[file:name < 'oz']", [file({ name: 'o' })], true),
  strings(
    'a longer string with an equal prefix is greater',
    "[file:name > 'o']",
    [file({ name: 'oz' })],
    true,
  ),
  strings(
    'code point comparison: oz < o + combining grave',
    "[file:name > 'oz']",
    [file({ name: 'o\u0300' })],
    true,
  ),
  strings(
    'code point comparison: o + combining grave < z',
    "[file:name < 'z']",
    [file({ name: 'o\u0300' })],
    true,
  ),
  strings('code point comparison: z < precomposed ò', "[file:name > 'z']", [file({ name: '\u00f2' })], true),
  strings('upper case sorts before lower case', "[file:name < 'a']", [file({ name: 'Z' })], true),
  strings(
    '= does not normalise (composed against decomposed)',
    "[file:name = 'caf\u00e9']",
    [file({ name: 'cafe\u0301' })],
    false,
  ),
  strings('!= does not normalise', "[file:name != 'caf\u00e9']", [file({ name: 'cafe\u0301' })], true),
  strings('IN does not normalise', "[file:name IN ('caf\u00e9')]", [file({ name: 'cafe\u0301' })], false),
  strings(
    'code points above the BMP compare as code points',
    "[file:name > '\uffff']",
    [file({ name: '\u{10000}' })],
    true,
  ),
];

const binaryComparison: ConformanceCase[] = [
  binary(
    'octets compare unsigned: ff > 00',
    "[x-thing:x_data_hex > h'00']",
    [observed([{ type: 'x-thing', x_data_hex: 'ff' }])],
    true,
  ),
  binary(
    'octets compare unsigned: 7f < 80',
    "[x-thing:x_data_hex < h'80']",
    [observed([{ type: 'x-thing', x_data_hex: '7f' }])],
    true,
  ),
  binary(
    'a longer value with an equal prefix is greater',
    "[x-thing:x_data_hex > h'0102']",
    [observed([{ type: 'x-thing', x_data_hex: '010203' }])],
    true,
  ),
  binary(
    'the shorter value is less',
    "[x-thing:x_data_hex < h'010203']",
    [observed([{ type: 'x-thing', x_data_hex: '0102' }])],
    true,
  ),
  binary(
    'equal octets are not greater',
    "[x-thing:x_data_hex > h'0102']",
    [observed([{ type: 'x-thing', x_data_hex: '0102' }])],
    false,
  ),
  binary(
    'base64 properties (_bin) are decoded before ordering',
    "[artifact:payload_bin > b'dGhpcw==']",
    [artifact],
    true,
  ),
];

const nativeFormat: ConformanceCase[] = [
  native(
    'a base64 string constant does not equal the decoded property (spec example)',
    "[artifact:payload_bin = 'dGhpcyBpcyBhIHRlc3Q=']",
    [artifact],
    false,
  ),
  native(
    'a string constant is converted to octets (spec example)',
    "[artifact:payload_bin = 'this is a test']",
    [artifact],
    true,
  ),
  native(
    'a binary constant (spec example)',
    "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']",
    [artifact],
    true,
  ),
  native(
    'a hex constant (spec example)',
    "[artifact:payload_bin = h'7468697320697320612074657374']",
    [artifact],
    true,
  ),
  native(
    '_hex properties are decoded before comparing',
    "[x-thing:x_data_hex = 'abc']",
    [observed([{ type: 'x-thing', x_data_hex: '616263' }])],
    true,
  ),
  native(
    '_hex property text is not compared as text',
    "[x-thing:x_data_hex = '616263']",
    [observed([{ type: 'x-thing', x_data_hex: '616263' }])],
    false,
  ),
  native(
    'a string with a code point ≥ U+0100 cannot convert: = is false',
    "[artifact:payload_bin = 'this is a t\u0113st']",
    [artifact],
    false,
  ),
  native(
    'a string with a code point ≥ U+0100 cannot convert: != is true',
    "[artifact:payload_bin != 'this is a t\u0113st']",
    [artifact],
    true,
  ),
  native(
    'a string with code points below U+0100 converts byte-wise',
    "[x-thing:x_data_hex = '\u00ff\u0001']",
    [observed([{ type: 'x-thing', x_data_hex: 'ff01' }])],
    true,
  ),
  native(
    'a string constant orders against binary as octets',
    "[artifact:payload_bin > 'this']",
    [artifact],
    true,
  ),
  native(
    'a string with a code point ≥ U+0100 cannot be ordered against binary',
    "[artifact:payload_bin < '\u0113']",
    [artifact],
    false,
  ),
  native('a string constant LIKE against binary', "[artifact:payload_bin LIKE 'this%']", [artifact], true),
];

export const constantCases: readonly ConformanceCase[] = [
  ...stringConstants,
  ...numberConstants,
  ...booleanConstants,
  ...timestampConstants,
  ...binaryConstants,
  ...stringComparison,
  ...binaryComparison,
  ...nativeFormat,
];
