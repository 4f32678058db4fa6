import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ObservationLeaf } from '../../src/pattern/ast.js';
import { compileComparisonExpression, matchPattern } from '../../src/pattern/compile.js';
import { createObservationView, type JsonObject } from '../../src/pattern/observations.js';
import { parsePattern } from '../../src/pattern/parser.js';
import { bundle, type Sco } from './observation-fixtures.js';

const file: Sco = {
  type: 'file',
  id: 'file--1',
  name: 'a',
  size: 10,
  hashes: { MD5: 'abc', 'SHA-256': 'def' },
  payload_bin: 'AQID',
  name_hex: '414243',
  tags: ['x', 'y'],
  nothing: null,
  flag: true,
  trailing: 'abc\n',
  cafe: 'caf\u00e9',
  seen: '2020-01-01T00:00:00.5Z',
  notTime: 'nope',
};

/** Whether `[ inside ]` matches one observation of the given objects. */
function holds(inside: string, objects: readonly Sco[] = [file]): boolean {
  return matchPattern(`[${inside}]`, [bundle(objects)]);
}

function expectAll(cases: readonly [string, boolean][], objects?: readonly Sco[]): void {
  for (const [inside, expected] of cases) assert.equal(holds(inside, objects), expected, inside);
}

test('= and != on strings, numbers and booleans; types never mix', () => {
  expectAll([
    ["file:name = 'a'", true],
    ["file:name = 'b'", false],
    ["file:name != 'b'", true],
    ["file:name != 'a'", false],
    ['file:size = 10', true],
    ['file:size = 10.0', true],
    ["file:size = '10'", false],
    ['file:flag = true', true],
    ['file:flag = 1', false],
    ['file:flag != 1', true],
  ]);
});

test('a missing property satisfies nothing, NOT and != included (as the reference)', () => {
  expectAll([
    ["file:missing = 'a'", false],
    ["file:missing != 'a'", false],
    ["file:missing NOT = 'a'", false],
    ["file:missing NOT LIKE 'a'", false],
  ]);
});

test('null is a value of no type: every comparison is false, and NOT makes it true (the reference keeps NOT < > false)', () => {
  expectAll([
    ["file:nothing = 'a'", false],
    ["file:nothing != 'a'", true],
    ["file:nothing NOT = 'a'", true],
    ["file:nothing > 'a'", false],
    ["file:nothing NOT > 'a'", true],
    ["file:nothing LIKE '%'", false],
  ]);
});

test('ordering: numbers, strings by code point; no order between types or for booleans (false, true under NOT)', () => {
  expectAll([
    ['file:size > 9', true],
    ['file:size > 9.5', true],
    ['file:size >= 10', true],
    ['file:size < 10', false],
    ['file:size <= 10', true],
    ["file:name < 'b'", true],
    ["file:name > 'B'", true],
    ["file:size < 'a'", false],
    ["file:size NOT < 'a'", true],
  ]);
  assert.ok(holds("x-s:v > '\uE000'", [{ type: 'x-s', v: '\u{1F600}' }]), 'astral after private use');
});

test('integers beyond 2^53 compare exactly, as Python does (the double 2^53 is not 2^53 + 1)', () => {
  const big = [{ type: 'x-n', v: 2 ** 53 }];
  assert.ok(holds('x-n:v = 9007199254740992', big));
  assert.ok(!holds('x-n:v = 9007199254740993', big));
  assert.ok(holds('x-n:v < 9007199254740993', big));
  assert.ok(!holds('x-n:v >= 9007199254740993', big));
  assert.ok(!holds('x-n:v IN (9007199254740993, 1)', big));
  assert.ok(holds('x-n:v IN (9007199254740993, 9007199254740992)', big));
  assert.ok(holds('x-n:v > -9007199254740993', big));
  assert.ok(holds('x-n:v < 9007199254740993', [{ type: 'x-n', v: 0.5 }]));
});

test('IN: set membership; integers and floats mix, booleans do not (the reference lets True equal 1)', () => {
  expectAll([
    ["file:name IN ('b', 'a')", true],
    ["file:name IN ('b', 'c')", false],
    ["file:name NOT IN ('b', 'c')", true],
    ['file:size IN (10.0, 2)', true],
    ['file:flag IN (1, 2)', false],
    ['file:flag IN (true)', true],
  ]);
});

test('binary: *_bin and *_hex properties are bytes; b and h constants equal strings read as bytes', () => {
  expectAll([
    ["file:payload_bin = b'AQID'", true],
    ["file:payload_bin = h'010203'", true],
    ["file:payload_bin = h'0102'", false],
    ["file:name_hex = 'ABC'", true],
    ["file:name = h'61'", true],
    ["file:name = b'YQ=='", true],
    ["file:name_hex < 'ABD'", true],
    ["file:name_hex > h'4141'", true],
    ["file:name_hex LIKE 'A%'", true],
    ["file:name_hex MATCHES '^AB'", true],
    ["file:payload_bin MATCHES '\\\\x02'", true],
  ]);
  assert.ok(
    !holds("x-b:v = h'c3a9'", [{ type: 'x-b', v: '\u00e9' }]),
    'strings are read as code points, not UTF-8',
  );
  assert.ok(holds("x-b:v = h'e9'", [{ type: 'x-b', v: '\u00e9' }]));
  assert.ok(
    !holds("x-b:v = h'00'", [{ type: 'x-b', v: '\u0100' }]),
    'a code point over 255 never equals bytes',
  );
  assert.ok(!holds("x-b:v > h'00'", [{ type: 'x-b', v: '\u0100' }]), 'nor orders against them');
  assert.ok(holds("x-b:v NOT > h'00'", [{ type: 'x-b', v: '\u0100' }]), 'but NOT makes that true');
  assert.ok(
    holds("x-b:n NOT < h'00'", [{ type: 'x-b', n: 5 }]),
    'a number has no order against bytes: NOT makes it true',
  );
  assert.ok(holds("x-b:v_hex LIKE '\u00e9'", [{ type: 'x-b', v_hex: 'c3a9' }]), 'LIKE reads bytes as UTF-8');
  assert.ok(
    holds("x-b:v_hex LIKE 'cafe\u0301'", [{ type: 'x-b', v_hex: '636166c3a9' }]),
    'after NFC of the pattern',
  );
  assert.ok(
    !holds("x-b:v_hex LIKE '%'", [{ type: 'x-b', v_hex: 'ff' }]),
    'bytes that are not UTF-8 match no LIKE',
  );
});

test('IN compares strings and bytes as octets, as = does (STIX 2.1 9.6.4; the reference keeps them apart)', () => {
  expectAll([
    ["file:name IN (h'61')", true],
    ["file:name IN (h'62', h'6161')", false],
    ["file:name_hex IN ('ABC')", true],
    ["file:name_hex IN ('ABD')", false],
    ["file:name_hex IN (h'414243')", true],
  ]);
});

test('malformed *_hex and *_bin values select nothing', () => {
  assert.ok(!holds("x-b:v_hex != 'a'", [{ type: 'x-b', v_hex: 'zz' }]));
  assert.ok(!holds('EXISTS x-b:v_bin', [{ type: 'x-b', v_bin: '***' }]));
});

test('timestamps: a timestamp constant reads string properties as timestamps, at full precision', () => {
  expectAll([
    ["file:seen = t'2020-01-01T00:00:00.5Z'", true],
    ["file:seen = t'2020-01-01T00:00:00.500000000Z'", true],
    ["file:seen = t'2020-01-01T00:00:00.500000001Z'", false],
    ["file:seen < t'2020-01-01T00:00:00.500000001Z'", true],
    ["file:seen > t'2020-01-01T00:00:00Z'", true],
    ["file:seen IN (t'2020-01-01T00:00:00.500Z')", true],
    ["file:seen = '2020-01-01T00:00:00.500Z'", false],
    ["file:notTime = t'2020-01-01T00:00:00Z'", false],
    ["file:notTime != t'2020-01-01T00:00:00Z'", true],
  ]);
});

test('LIKE: SQL wildcards over the whole NFC-normalised value', () => {
  expectAll([
    ["file:name LIKE 'a'", true],
    ["file:name LIKE '_'", true],
    ["file:name LIKE 'a%'", true],
    ["file:name LIKE '%b'", false],
    ["file:name NOT LIKE '%b'", true],
    ["file:cafe LIKE 'cafe\u0301'", true],
    ["file:cafe LIKE 'caf_'", true],
    ["file:trailing LIKE 'abc_'", true],
    ["file:size LIKE '10'", false],
  ]);
});

test('MATCHES: a search on the NFC-normalised value', () => {
  expectAll([
    ["file:name MATCHES 'a'", true],
    ["file:cafe MATCHES '^cafe\u0301$'", true],
    ["file:trailing MATCHES '^abc$'", true],
    ["file:cafe MATCHES '\\\\w{4}'", true],
    ["file:cafe NOT MATCHES '^x'", true],
    ["file:size MATCHES '10'", false],
  ]);
});

test('= compares strings exactly, without normalisation (as the reference)', () => {
  expectAll([
    ["file:cafe = 'cafe\u0301'", false],
    ["file:cafe = 'caf\u00e9'", true],
  ]);
});

test('ISSUBSET and ISSUPERSET for IPv4 and IPv6', () => {
  const objects: Sco[] = [
    { type: 'ipv4-addr', value: '10.1.2.3' },
    { type: 'ipv6-addr', value: '2001:db8::1' },
    { type: 'x-net', value: '192.168.0.0/16' },
  ];
  expectAll(
    [
      ["ipv4-addr:value ISSUBSET '10.0.0.0/8'", true],
      ["ipv4-addr:value ISSUBSET '10.1.2.3/32'", true],
      ["ipv4-addr:value ISSUBSET '11.0.0.0/8'", false],
      ["ipv4-addr:value NOT ISSUBSET '11.0.0.0/8'", true],
      ["ipv6-addr:value ISSUBSET '2001:db8::/32'", true],
      ["ipv6-addr:value ISSUBSET '2001:db9::/32'", false],
      ["ipv4-addr:value ISSUBSET '::/0'", false],
      ["x-net:value ISSUPERSET '192.168.4.0/24'", true],
      ["x-net:value ISSUPERSET '192.169.0.1'", false],
      ["x-net:value ISSUBSET '192.0.0.0/8'", true],
    ],
    objects,
  );
});

test('EXISTS and NOT EXISTS (the reference ignores NOT here; the specification does not)', () => {
  expectAll([
    ['EXISTS file:name', true],
    ['EXISTS file:missing', false],
    ['NOT EXISTS file:missing', true],
    ['NOT EXISTS file:name', false],
    ['EXISTS file:nothing', true],
    ['EXISTS file:hashes.MD5', true],
  ]);
  assert.ok(!holds('NOT EXISTS ipv4-addr:value'), 'NOT EXISTS still needs an object of the type');
});

test('paths: nested properties, quoted names, [n] and [*] (any element)', () => {
  expectAll([
    ["file:hashes.MD5 = 'abc'", true],
    ["file:hashes.'SHA-256' = 'def'", true],
    ["file:tags[0] = 'x'", true],
    ["file:tags[1] = 'x'", false],
    ["file:tags[2] = 'x'", false],
    ["file:tags[*] = 'y'", true],
    ["file:tags[*] != 'x'", true],
    ["file:tags = 'x'", false],
    ["file:name[0] = 'a'", false],
    ["file:hashes[*] = 'abc'", false],
  ]);
});

test('references: _ref and _refs dereference inside the observation; a reference itself is no string', () => {
  const objects: Sco[] = [
    { type: 'ipv4-addr', id: 'ipv4-addr--1', value: '10.0.0.1' },
    { type: 'ipv4-addr', id: 'ipv4-addr--2', value: '10.0.0.2' },
    {
      type: 'network-traffic',
      id: 'network-traffic--1',
      src_ref: 'ipv4-addr--1',
      dst_ref: 'ipv4-addr--9',
      extra_refs: ['ipv4-addr--9', 'ipv4-addr--2'],
    },
  ];
  expectAll(
    [
      ["network-traffic:src_ref.value = '10.0.0.1'", true],
      ["network-traffic:src_ref.value ISSUBSET '10.0.0.0/8'", true],
      ["network-traffic:src_ref = 'ipv4-addr--1'", false],
      ['EXISTS network-traffic:src_ref', true],
      ['EXISTS network-traffic:dst_ref', false],
      ["network-traffic:extra_refs[*].value = '10.0.0.2'", true],
      ["network-traffic:extra_refs[0].value = '10.0.0.2'", true],
      ["network-traffic:extra_refs[1].value = '10.0.0.2'", false],
    ],
    objects,
  );
});

test('references resolve only among the objects the observed-data names (as the reference)', () => {
  const objects: Sco[] = [
    { type: 'process', id: 'process--1', image_ref: 'file--9' },
    { type: 'file', id: 'file--9', name: 'sh' },
  ];
  assert.ok(matchPattern("[process:image_ref.name = 'sh']", [bundle(objects)]));
  const hidden = bundle(objects, { refs: ['process--1'] });
  assert.ok(!matchPattern("[process:image_ref.name = 'sh']", [hidden]));
  assert.ok(!matchPattern("[file:name = 'sh']", [hidden]), 'an object not in object_refs is no root either');
});

test('AND binds one object; OR any; AND across object types never matches', () => {
  const two: Sco[] = [
    { type: 'file', name: 'a', size: 1 },
    { type: 'file', name: 'b', size: 2 },
  ];
  expectAll(
    [
      ["file:name = 'a' AND file:size = 1", true],
      ["file:name = 'a' AND file:size = 2", false],
      ["file:name = 'a' OR file:size = 2", true],
      ["(file:name = 'z' OR file:name = 'b') AND file:size = 2", true],
      ["file:name = 'z' OR file:name = 'b' AND file:size = 1", false],
      ["file:name = 'a' AND ipv4-addr:value = '1.2.3.4'", false],
      ["file:name = 'a' OR ipv4-addr:value = '1.2.3.4'", true],
    ],
    two,
  );
  assert.ok(
    !holds("file:name = 'a' AND ipv4-addr:value = '1.2.3.4'", [
      file,
      { type: 'ipv4-addr', value: '1.2.3.4' },
    ]),
  );
});

test('SDO and SRO types are never roots in STIX 2.1 (as the reference)', () => {
  assert.ok(!holds("identity:name = 'x'", [{ type: 'identity', name: 'x' }]));
  assert.ok(!matchPattern('[observed-data:number_observed = 1]', [bundle([file])]));
});

function comparisonOf(pattern: string): ObservationLeaf['comparison'] {
  const ast = parsePattern(pattern);
  assert.equal(ast.kind, 'observation');
  return ast.comparison;
}

test('compileComparisonExpression: a predicate over a view built from one observed-data and its objects', () => {
  const compiled = compileComparisonExpression(
    comparisonOf("[process:image_ref.name LIKE '%sh' AND process:pid > 1]"),
  );
  assert.deepEqual(compiled.objectTypes, ['process']);
  const objects = new Map<string, JsonObject>([
    ['process--1', { type: 'process', id: 'process--1', pid: 42, image_ref: 'file--1' }],
    ['file--1', { type: 'file', id: 'file--1', name: '/bin/bash' }],
  ]);
  const observedData = {
    type: 'observed-data',
    id: 'observed-data--1',
    object_refs: ['process--1', 'file--1'],
  };
  assert.equal(compiled.test(createObservationView(observedData, objects)), true);
  objects.set('process--1', { type: 'process', id: 'process--1', pid: 1, image_ref: 'file--1' });
  assert.equal(compiled.test(createObservationView(observedData, objects)), false);
});

test('compileComparisonExpression reports the object types a match needs, none for AND across types', () => {
  assert.deepEqual(
    [
      ...compileComparisonExpression(comparisonOf("[file:name = 'a' OR ipv4-addr:value = 'b']")).objectTypes,
    ].sort(),
    ['file', 'ipv4-addr'],
  );
  assert.deepEqual(
    compileComparisonExpression(comparisonOf("[file:name = 'a' AND ipv4-addr:value = 'b']")).objectTypes,
    [],
  );
});
