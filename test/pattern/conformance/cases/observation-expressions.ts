import { section, type ConformanceCase } from '../case.js';
import { at, observed, stixId, type JsonObject } from '../observations.js';

const expressions = section('9.5 Observation Expressions');
const booleans = section('9.6 Comparison Expressions');
const operators = section('9.5.2 Observation Operators');
const precedence = section('9.5.3 Operator Precedence');

const fileAt = (name: string, seconds: number, count = 1): JsonObject =>
  observed([{ type: 'file', name }], { first: at(seconds), count });
const span = (name: string, from: number, to: number): JsonObject =>
  observed([{ type: 'file', name }], { first: at(from), last: at(to) });

const ip = (n: number): string => stixId('ipv4-addr', 0xb000 + n);
const nt = (n: number): string => stixId('network-traffic', 0xb000 + n);

// The example of 9.5: both addresses are in one observed-data, but no single network-traffic refers to both.
const splitTraffic = observed([
  { type: 'network-traffic', id: nt(1), src_ref: ip(1), protocols: ['tcp'] },
  { type: 'ipv4-addr', id: ip(1), value: '203.0.113.10' },
  { type: 'network-traffic', id: nt(2), dst_ref: ip(2), protocols: ['tcp'] },
  { type: 'ipv4-addr', id: ip(2), value: '198.51.100.58' },
]);
const joinedTraffic = observed([
  { type: 'network-traffic', id: nt(3), src_ref: ip(3), dst_ref: ip(4), protocols: ['tcp'] },
  { type: 'ipv4-addr', id: ip(3), value: '203.0.113.10' },
  { type: 'ipv4-addr', id: ip(4), value: '198.51.100.58' },
]);
const twoFiles = observed([
  { type: 'file', name: 'a', size: 1 },
  { type: 'file', name: 'b', size: 2 },
]);
const fileAndAddress = observed([
  { type: 'file', name: 'a' },
  { type: 'ipv4-addr', value: '10.0.0.1' },
]);

const binding: ConformanceCase[] = [
  expressions(
    'AND comparisons start from the same SCO (the spec example does not match)',
    "[network-traffic:src_ref.value = '203.0.113.10' AND network-traffic:dst_ref.value = '198.51.100.58']",
    [splitTraffic],
    false,
  ),
  expressions(
    'AND comparisons through references of one SCO match',
    "[network-traffic:src_ref.value = '203.0.113.10' AND network-traffic:dst_ref.value = '198.51.100.58']",
    [joinedTraffic],
    true,
  ),
  expressions(
    'AND on two properties of the same object',
    "[file:name = 'a' AND file:size = 1]",
    [twoFiles],
    true,
  ),
  expressions(
    'AND on properties of two different objects of one type',
    "[file:name = 'a' AND file:size = 2]",
    [twoFiles],
    false,
  ),
  expressions(
    'AND across object types never matches',
    "[file:name = 'a' AND ipv4-addr:value = '10.0.0.1']",
    [fileAndAddress],
    false,
  ),
  expressions(
    'OR across object types matches either',
    "[file:name = 'z' OR ipv4-addr:value = '10.0.0.1']",
    [fileAndAddress],
    true,
  ),
  expressions(
    'OR of per-type ANDs (the spec example shape)',
    "[(file:name = 'a' AND file:size = 2) OR (file:name = 'b' AND file:size = 2)]",
    [twoFiles],
    true,
  ),
  expressions(
    'OR of per-type ANDs, neither object satisfying its AND',
    "[(file:name = 'a' AND file:size = 2) OR (file:name = 'b' AND file:size = 1)]",
    [twoFiles],
    false,
  ),
  expressions(
    'one observation expression matches against a single observed-data',
    "[file:name = 'a' AND file:size = 2]",
    [observed([{ type: 'file', name: 'a' }]), observed([{ type: 'file', size: 2 }])],
    false,
  ),
  expressions(
    'any observed-data in the input may match',
    "[file:name = 'b']",
    [fileAt('a', 0), fileAt('b', 10)],
    true,
  ),
  expressions('no observed-data matching', "[file:name = 'c']", [fileAt('a', 0), fileAt('b', 10)], false),
  expressions(
    'the observed-data itself is not a cyber-observable object',
    '[observed-data:number_observed = 1]',
    [fileAt('a', 0)],
    false,
  ),
  expressions('an SCO type that is absent never matches', "[mutex:name = 'a']", [fileAt('a', 0)], false),
  expressions('an empty list of observations never matches', "[file:name = 'a']", [], false, {
    referenceDeviation: 'ref-empty-observations',
  }),
  expressions(
    'AND on [*] elements binds the same root object, not the same element',
    "[file:x_tags[*] = 'a' AND file:x_tags[*] = 'b']",
    [observed([{ type: 'file', x_tags: ['a', 'b'] }])],
    true,
  ),
];

const comparisonBooleans: ConformanceCase[] = [
  booleans(
    'AND: both must hold',
    "[file:name = 'a' AND file:size = 1]",
    [observed([{ type: 'file', name: 'a', size: 1 }])],
    true,
  ),
  booleans(
    'AND: one failing fails',
    "[file:name = 'a' AND file:size = 2]",
    [observed([{ type: 'file', name: 'a', size: 1 }])],
    false,
  ),
  booleans(
    'OR: one holding holds',
    "[file:name = 'x' OR file:size = 1]",
    [observed([{ type: 'file', name: 'a', size: 1 }])],
    true,
  ),
  booleans(
    'OR: neither holding fails',
    "[file:name = 'x' OR file:size = 2]",
    [observed([{ type: 'file', name: 'a', size: 1 }])],
    false,
  ),
  booleans(
    'AND binds tighter than OR (a AND b OR c, only c)',
    "[file:name = 'x' AND file:size = 9 OR file:size = 1]",
    [observed([{ type: 'file', name: 'a', size: 1 }])],
    true,
  ),
  booleans(
    'AND binds tighter than OR (a OR b AND c, only a)',
    "[file:name = 'a' OR file:size = 9 AND file:name = 'x']",
    [observed([{ type: 'file', name: 'a', size: 1 }])],
    true,
  ),
  booleans(
    'AND binds tighter than OR (a OR b AND c, only b)',
    "[file:name = 'x' OR file:size = 1 AND file:name = 'y']",
    [observed([{ type: 'file', name: 'a', size: 1 }])],
    false,
  ),
  booleans(
    'parentheses override precedence',
    "[(file:name = 'a' OR file:size = 9) AND file:name = 'x']",
    [observed([{ type: 'file', name: 'a', size: 1 }])],
    false,
  ),
  booleans('nested parentheses', "[((file:name = 'a'))]", [observed([{ type: 'file', name: 'a' }])], true),
  booleans(
    'a missing path is false even under OR with another false',
    "[file:x_absent = 'a' OR file:name = 'b']",
    [observed([{ type: 'file', name: 'a' }])],
    false,
  ),
  booleans(
    'a missing path under AND makes it false',
    "[file:name = 'a' AND file:x_absent != 'z']",
    [observed([{ type: 'file', name: 'a' }])],
    false,
  ),
  booleans(
    'three ANDs',
    "[file:name = 'a' AND file:size = 1 AND file:x_flag = true]",
    [observed([{ type: 'file', name: 'a', size: 1, x_flag: true }])],
    true,
  ),
  booleans(
    'three ORs',
    "[file:name = 'x' OR file:name = 'y' OR file:name = 'a']",
    [observed([{ type: 'file', name: 'a' }])],
    true,
  ),
];

const observationOperators: ConformanceCase[] = [
  operators(
    'AND needs both, on different observations',
    "[file:name = 'a'] AND [file:name = 'b']",
    [fileAt('a', 0), fileAt('b', 5)],
    true,
  ),
  operators(
    'AND fails when one side is missing',
    "[file:name = 'a'] AND [file:name = 'b']",
    [fileAt('a', 0), fileAt('c', 5)],
    false,
  ),
  operators(
    'AND is unordered in time',
    "[file:name = 'a'] AND [file:name = 'b']",
    [fileAt('b', 0), fileAt('a', 5)],
    true,
  ),
  operators(
    'AND cannot use one observation twice',
    "[file:name = 'a'] AND [file:name = 'a']",
    [fileAt('a', 0)],
    false,
  ),
  operators(
    'AND may use the number_observed observations of one observed-data',
    "[file:name = 'a'] AND [file:name = 'a']",
    [fileAt('a', 0, 2)],
    true,
  ),
  operators(
    'AND of two expressions satisfied by one observed-data with number_observed 1 fails',
    "[file:name = 'a'] AND [file:x_flag = true]",
    [observed([{ type: 'file', name: 'a', x_flag: true }])],
    false,
  ),
  operators('OR needs one side', "[file:name = 'a'] OR [file:name = 'b']", [fileAt('b', 0)], true),
  operators(
    'OR fails when neither side matches',
    "[file:name = 'a'] OR [file:name = 'b']",
    [fileAt('c', 0)],
    false,
  ),
  operators(
    'FOLLOWEDBY holds when b is later',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'b']",
    [fileAt('a', 0), fileAt('b', 10)],
    true,
  ),
  operators(
    'FOLLOWEDBY fails when b is earlier',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'b']",
    [fileAt('b', 0), fileAt('a', 10)],
    false,
  ),
  operators(
    'FOLLOWEDBY holds when both are at the same time (>=)',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'b']",
    [fileAt('a', 5), fileAt('b', 5)],
    true,
  ),
  operators(
    'FOLLOWEDBY needs different observations',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'a']",
    [fileAt('a', 0)],
    false,
  ),
  operators(
    'FOLLOWEDBY may use two observations of one observed-data (number_observed 2)',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'a']",
    [fileAt('a', 0, 2)],
    true,
  ),
  operators(
    'FOLLOWEDBY with a repeated a later',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'a']",
    [fileAt('a', 0), fileAt('a', 1)],
    true,
  ),
  operators(
    'FOLLOWEDBY over intervals: a possible order suffices',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'b']",
    [span('a', 0, 10), span('b', 5, 6)],
    true,
  ),
  operators(
    'FOLLOWEDBY over intervals: b wholly before a fails',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'b']",
    [span('a', 5, 10), span('b', 0, 4)],
    false,
  ),
  operators(
    'FOLLOWEDBY over intervals touching at one instant',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'b']",
    [span('a', 5, 10), span('b', 0, 5)],
    true,
  ),
  operators(
    'FOLLOWEDBY is left-associative: a then b then c',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] FOLLOWEDBY [file:name = 'c']",
    [fileAt('a', 0), fileAt('b', 1), fileAt('c', 2)],
    true,
  ),
  operators(
    'FOLLOWEDBY chain out of order',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] FOLLOWEDBY [file:name = 'c']",
    [fileAt('a', 1), fileAt('b', 0), fileAt('c', 2)],
    false,
  ),
  operators(
    'AND chains need three distinct observations',
    "[file:name = 'a'] AND [file:name = 'b'] AND [file:name = 'a']",
    [fileAt('a', 0), fileAt('b', 1)],
    false,
  ),
];

const operatorPrecedence: ConformanceCase[] = [
  precedence(
    'AND binds tighter than OR: a OR (b AND c), only a',
    "[file:name = 'a'] OR [file:name = 'b'] AND [file:name = 'c']",
    [fileAt('a', 0)],
    true,
  ),
  precedence(
    'AND binds tighter than OR: a OR (b AND c), only b',
    "[file:name = 'a'] OR [file:name = 'b'] AND [file:name = 'c']",
    [fileAt('b', 0)],
    false,
  ),
  precedence(
    '(a OR b) AND c with parentheses, only a',
    "([file:name = 'a'] OR [file:name = 'b']) AND [file:name = 'c']",
    [fileAt('a', 0)],
    false,
  ),
  precedence(
    '(a OR b) AND c with parentheses, b and c',
    "([file:name = 'a'] OR [file:name = 'b']) AND [file:name = 'c']",
    [fileAt('b', 0), fileAt('c', 1)],
    true,
  ),
  precedence(
    'OR binds tighter than FOLLOWEDBY: a FOLLOWEDBY (b OR c)',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] OR [file:name = 'c']",
    [fileAt('a', 0), fileAt('c', 1)],
    true,
  ),
  precedence(
    'OR binds tighter than FOLLOWEDBY: c alone is not enough',
    "[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] OR [file:name = 'c']",
    [fileAt('c', 1)],
    false,
  ),
  precedence(
    'AND binds tighter than FOLLOWEDBY: (a AND b) FOLLOWEDBY c',
    "[file:name = 'a'] AND [file:name = 'b'] FOLLOWEDBY [file:name = 'c']",
    [fileAt('b', 0), fileAt('c', 5), fileAt('a', 10)],
    false,
  ),
  precedence(
    'AND binds tighter than FOLLOWEDBY: both before c',
    "[file:name = 'a'] AND [file:name = 'b'] FOLLOWEDBY [file:name = 'c']",
    [fileAt('b', 0), fileAt('a', 3), fileAt('c', 5)],
    true,
  ),
  precedence(
    'parentheses group FOLLOWEDBY under AND',
    "[file:name = 'a'] AND ([file:name = 'b'] FOLLOWEDBY [file:name = 'c'])",
    [fileAt('a', 10), fileAt('b', 0), fileAt('c', 5)],
    true,
  ),
  precedence(
    'parentheses around a single observation expression',
    "(([file:name = 'a']))",
    [fileAt('a', 0)],
    true,
  ),
];

export const observationExpressionCases: readonly ConformanceCase[] = [
  ...binding,
  ...comparisonBooleans,
  ...observationOperators,
  ...operatorPrecedence,
];
