import { section, syntaxError, type CaseOptions, type ConformanceCase } from '../case.js';
import { at, observed20, type JsonObject } from '../observations.js';

/** STIX 2.0 Part 5 (Patterning): observed-data embeds its objects, keyed by local ids. */
const part5 = section('2.0 Part 5 (2.0 mode)');
const v20: CaseOptions = { stixVersion: '2.0' };
const rule = (
  title: string,
  pattern: string,
  observations: readonly unknown[],
  expect: ConformanceCase['expect'],
  options: CaseOptions = {},
): ConformanceCase => part5(title, pattern, observations, expect, { ...v20, ...options });

const fileAt = (name: string, seconds: number, count = 1): JsonObject =>
  observed20([{ type: 'file', name }], { first: at(seconds), count });
const traffic = observed20({
  '0': { type: 'ipv4-addr', value: '198.51.100.1' },
  '1': { type: 'ipv4-addr', value: '203.0.113.5' },
  '2': { type: 'network-traffic', src_ref: '0', dst_ref: '1', protocols: ['tcp'] },
  '3': { type: 'file', name: 'a.sh' },
  '4': { type: 'directory', path: '/tmp', contains_refs: ['3'] },
});

export const stix20Cases: readonly ConformanceCase[] = [
  rule('an embedded object matches', "[file:name = 'a']", [fileAt('a', 0)], true),
  rule('an embedded object that differs', "[file:name = 'b']", [fileAt('a', 0)], false),
  rule(
    '_ref resolves against the local object keys',
    "[network-traffic:dst_ref.value = '203.0.113.5']",
    [traffic],
    true,
  ),
  rule(
    '_ref resolves to the right object',
    "[network-traffic:src_ref.value = '203.0.113.5']",
    [traffic],
    false,
  ),
  rule(
    '_refs[*] resolves against the local keys',
    "[directory:contains_refs[*].name = 'a.sh']",
    [traffic],
    true,
  ),
  rule(
    'AND binds the same object in 2.0',
    "[network-traffic:src_ref.value = '198.51.100.1' AND network-traffic:dst_ref.value = '203.0.113.5']",
    [traffic],
    true,
  ),
  rule(
    'AND across types in 2.0 never matches',
    "[file:name = 'a.sh' AND ipv4-addr:value = '198.51.100.1']",
    [traffic],
    false,
  ),
  rule('ISSUBSET in 2.0', "[network-traffic:src_ref.value ISSUBSET '198.51.100.0/24']", [traffic], true),
  rule('LIKE in 2.0', "[file:name LIKE '%.sh']", [traffic], true),
  rule('MATCHES in 2.0', "[file:name MATCHES '^a\\\\.']", [traffic], true),
  rule('IN in 2.0', "[file:name IN ('b.sh', 'a.sh')]", [traffic], true),
  rule(
    'observation AND in 2.0',
    "[file:name = 'a'] AND [file:name = 'b']",
    [fileAt('a', 0), fileAt('b', 1)],
    true,
  ),
  rule(
    'FOLLOWEDBY in 2.0',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'b']",
    [fileAt('b', 0), fileAt('a', 1)],
    false,
  ),
  rule(
    'REPEATS counts number_observed in 2.0',
    "[file:name = 'a'] REPEATS 2 TIMES",
    [fileAt('a', 0, 2)],
    true,
  ),
  rule(
    'WITHIN in 2.0',
    "([file:name = 'a'] AND [file:name = 'b']) WITHIN 5 SECONDS",
    [fileAt('a', 0), fileAt('b', 3)],
    true,
  ),
  rule(
    'START/STOP takes plain string timestamps in 2.0 (START inclusive)',
    "[file:name = 'a'] START '2020-01-01T00:00:00Z' STOP '2020-01-01T00:01:00Z'",
    [fileAt('a', 0)],
    true,
    { referenceDeviation: 'ref-v20-start-stop' },
  ),
  rule(
    'START/STOP in 2.0, STOP exclusive',
    "[file:name = 'a'] START '2020-01-01T00:00:00Z' STOP '2020-01-01T00:01:00Z'",
    [fileAt('a', 60)],
    false,
    { referenceDeviation: 'ref-v20-start-stop' },
  ),
  rule(
    'a timestamp constant compares instants in 2.0',
    "[file:created = t'2020-01-01T00:00:00Z']",
    [observed20([{ type: 'file', name: 'a', created: '2020-01-01T00:00:00.000Z' }])],
    true,
  ),
  rule('a syntax error in 2.0 mode', "[file:name = 'a'", [fileAt('a', 0)], syntaxError(17, '')),
];
