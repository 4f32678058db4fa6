/**
 * The small pools the generator draws values and constants from: small enough that a comparison often hits,
 * varied enough to reach escapes, NFC, line feeds, binary, timestamps and CIDR edges.
 */
export const BASE_TIME_MS = Date.parse('2020-01-01T00:00:00Z');

/** A timestamp `seconds` after the base, with or without `.000`. */
export function timeAt(seconds: number, plain = true): string {
  const text = new Date(BASE_TIME_MS + Math.round(seconds * 1000)).toISOString();
  return plain ? text.replace('.000Z', 'Z') : text;
}

export const FILE_NAMES = [
  'a.exe',
  'b.sh',
  'A.EXE',
  'caf\u00e9.txt',
  'cafe\u0301.txt',
  'a\nb',
  "it's",
  'C:\\Windows\\a.exe',
  'notes',
];
export const STRING_CONSTANTS = [
  ...FILE_NAMES,
  'a',
  'b',
  'sh',
  'red',
  'tcp',
  'nginx',
  '/tmp',
  '10.0.0.1',
  'z',
  '',
];
export const SIZES = [0, 1, 10, 1024, 1.5];
export const NUMBER_CONSTANTS: readonly { readonly value: number; readonly float: boolean }[] = [
  { value: 0, float: false },
  { value: 1, float: false },
  { value: 10, float: false },
  { value: 1024, float: false },
  { value: -1, float: false },
  { value: 1.5, float: true },
  { value: 10, float: true },
  { value: 22, float: false },
  { value: 443, float: false },
  { value: 2, float: false },
];
export const MD5S = ['d41d8cd98f00b204e9800998ecf8427e', 'ABCD', 'abcd'];
export const SHA256S = ['aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f', 'ff'];
export const TAGS = ['red', 'green', 'a.exe'];
export const TIMESTAMPS = [
  '2020-01-01T00:00:00Z',
  '2020-01-01T00:00:00.500Z',
  '2020-06-01T12:00:00Z',
  '2019-12-31T23:59:59Z',
];
export const TIMESTAMP_CONSTANTS = [...TIMESTAMPS, '2020-01-01T00:00:00.000Z', '2021-01-01T00:00:00Z'];
export const HEX_VALUES = ['00', 'ff01', '616263', '7f'];
export const PAYLOADS = ['dGhpcyBpcyBhIHRlc3Q=', 'YWJj', 'aGVsbG8Kd29ybGQ='];
export const BINARY_CONSTANTS: readonly (
  { type: 'hex'; hex: string } | { type: 'binary'; base64: string }
)[] = [
  { type: 'hex', hex: '616263' },
  { type: 'hex', hex: '00' },
  { type: 'hex', hex: 'ff' },
  { type: 'hex', hex: '7468697320697320612074657374' },
  { type: 'binary', base64: 'YWJj' },
  { type: 'binary', base64: 'dGhpcyBpcyBhIHRlc3Q=' },
  { type: 'binary', base64: '/wE=' },
];
/** Strings to compare with binary properties; one has a code point above U+00FF and cannot convert. */
export const BINARY_STRING_CONSTANTS = [
  'abc',
  'this is a test',
  '\u00ff\u0001',
  'this',
  't\u0113st',
  'hello\nworld',
];
export const IPV4 = [
  '10.0.0.1',
  '10.0.0.200',
  '10.1.2.3',
  '192.168.1.10',
  '10.0.0.0/24',
  '10.0.0.0/8',
  '192.168.0.0/16',
];
export const IPV6 = ['2001:db8::1', '2001:db8::/32', 'fe80::1', '2001:db8:1::/48'];
export const SUBNET_CONSTANTS = [
  '10.0.0.0/8',
  '10.0.0.0/24',
  '10.0.0.0/30',
  '192.168.0.0/16',
  '10.0.0.1/32',
  '10.0.0.128/25',
];
export const CONTAINED_CONSTANTS = ['10.0.0.1', '10.0.0.0/25', '10.1.0.0/16', '192.168.1.10', '10.0.0.0/24'];
export const IPV6_CONSTANTS = ['2001:db8::/32', '2001:db8::1', 'fe80::/10'];
export const PROTOCOLS = ['tcp', 'udp', 'http'];
export const PORTS = [22, 80, 443];
export const PROCESS_NAMES = ['sh', 'bash', 'nginx'];
export const COMMAND_LINES = ['sh -c id', 'nginx -g daemon off;', 'bash'];
export const DIRECTORIES = ['/tmp', '/etc', 'C:\\Windows'];
export const LIKE_PATTERNS = [
  'a%',
  '%.exe',
  '_.sh',
  'caf%',
  'cafe\u0301%',
  '%',
  'a_b',
  '10.0.%',
  '%e%',
  'r_d',
  "it'%",
  'C:\\%',
];
/** Regexes whose meaning is the same in Python `re` and in RE2 on these values (no \w, \d, \s). */
export const REGEXES = [
  '^a',
  'exe$',
  '\\.sh$',
  '^[a-z]+\\.',
  'caf\u00e9',
  '(?i)^A',
  'a.b',
  '^10\\.0\\.',
  'e',
  'red|green',
  '^[^.]*$',
  'b$',
];
export const WINDOWS = [5, 10, 20, 30, 60, 2.5];
export const TIME_OFFSETS = [0, 5, 10, 30, 60, 100, 150];
export const SPANS = [0, 0, 0, 5, 20];
export const QUALIFIER_TIMES = [0, 10, 30, 60, 100, 150, 200];
