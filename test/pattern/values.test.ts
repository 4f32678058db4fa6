import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bytesEqual,
  compareBytes,
  decodeBase64,
  decodeHex,
  decodeUtf8,
  isLatin1,
  latin1Bytes,
} from '../../src/pattern/values/binary.js';
import {
  compileNetworkRelation,
  networkContains,
  parseIpNetwork,
  parseIpv4,
  parseIpv6,
} from '../../src/pattern/values/cidr.js';
import { compileLike, likeLiteralPrefix, likeLiteralSuffix } from '../../src/pattern/values/like.js';
import { compareCodePoints } from '../../src/pattern/values/strings.js';
import {
  addSeconds,
  compareTimestamps,
  parseTimestamp,
  timestampToEpochMs,
} from '../../src/pattern/values/timestamp.js';

test('timestamps parse to seconds and nanoseconds, agreeing with Date at millisecond precision', () => {
  for (const text of [
    '2016-04-06T19:58:16Z',
    '1970-01-01T00:00:00.5Z',
    '2000-02-29T23:59:59.999Z',
    '1969-12-31T23:59:59Z',
  ]) {
    const t = parseTimestamp(text);
    assert.ok(t, text);
    assert.equal(timestampToEpochMs(t), Date.parse(text));
  }
});

test('timestamps keep nanoseconds and drop digits beyond the ninth', () => {
  assert.deepEqual(parseTimestamp('2020-01-01T00:00:00.123456789Z')?.nanos, 123456789);
  assert.deepEqual(parseTimestamp('2020-01-01T00:00:00.1234567891Z')?.nanos, 123456789);
  const a = parseTimestamp('2020-01-01T00:00:00.000000001Z');
  const b = parseTimestamp('2020-01-01T00:00:00.000000002Z');
  assert.ok(a && b);
  assert.ok(compareTimestamps(a, b) < 0, 'one nanosecond apart still orders');
  assert.equal(compareTimestamps(a, parseTimestamp('2020-01-01T00:00:00.0000000010Z') ?? b), 0);
});

test('timestamps reject what STIX forbids: lower case, offsets, impossible dates, missing seconds', () => {
  for (const text of [
    '2020-01-01t00:00:00Z',
    '2020-01-01T00:00:00z',
    '2020-01-01T00:00:00+01:00',
    '2019-02-29T00:00:00Z',
    '2020-13-01T00:00:00Z',
    '2020-01-01T24:00:00Z',
    '2020-01-01T00:00:60Z',
    '2020-01-01T00:00Z',
    '2020-01-01T00:00:00.Z',
    '',
  ]) {
    assert.equal(parseTimestamp(text), undefined, text);
  }
  assert.ok(parseTimestamp('2000-02-29T00:00:00Z'), 'leap day of a leap century');
  assert.ok(parseTimestamp('0001-01-01T00:00:00Z'), 'years below 100 are not shifted');
  assert.equal(parseTimestamp('0050-01-01T00:00:00Z')?.seconds, Date.parse('0050-01-01T00:00:00Z') / 1000);
});

test('addSeconds carries fractions into whole seconds without float drift', () => {
  const t = parseTimestamp('2020-01-01T00:00:00.9Z');
  assert.ok(t);
  assert.deepEqual(addSeconds(t, 0.1), parseTimestamp('2020-01-01T00:00:01Z'));
  assert.deepEqual(addSeconds(t, 0.3), parseTimestamp('2020-01-01T00:00:01.2Z'));
  assert.deepEqual(addSeconds(t, 86400), parseTimestamp('2020-01-02T00:00:00.9Z'));
});

test('base64 and hex decode strictly', () => {
  assert.deepEqual(decodeBase64('AQIDBA=='), new Uint8Array([1, 2, 3, 4]));
  assert.deepEqual(decodeBase64(''), new Uint8Array([]));
  assert.equal(decodeBase64('AQIDBA'), undefined, 'padding required');
  assert.equal(decodeBase64('AQ ID'), undefined);
  assert.deepEqual(decodeHex('00fF10'), new Uint8Array([0, 255, 16]));
  assert.equal(decodeHex('abc'), undefined, 'odd length');
  assert.equal(decodeHex('zz'), undefined);
});

test('strings read as bytes only when every code point is below 256', () => {
  assert.deepEqual(latin1Bytes('aÿ'), new Uint8Array([0x61, 0xff]));
  assert.equal(latin1Bytes('aĀ'), undefined);
  assert.equal(isLatin1('héllo'), true);
  assert.equal(isLatin1('😀'), false);
  assert.equal(decodeUtf8(new Uint8Array([0xc3, 0xa9])), 'é');
  assert.equal(decodeUtf8(new Uint8Array([0xff])), undefined);
});

test('bytes order lexicographically, a prefix first', () => {
  const b = (...xs: number[]) => new Uint8Array(xs);
  assert.ok(compareBytes(b(1, 2), b(1, 3)) < 0);
  assert.ok(compareBytes(b(1, 2), b(1, 2, 0)) < 0);
  assert.ok(compareBytes(b(2), b(1, 255)) > 0);
  assert.ok(bytesEqual(b(7, 8), b(7, 8)));
  assert.ok(!bytesEqual(b(7, 8), b(7)));
});

test('strings order by code point, not UTF-16 unit (as Python does)', () => {
  const astral = '\u{1F600}';
  const privateUse = '\uE000';
  assert.ok(astral.charCodeAt(0) < privateUse.charCodeAt(0), 'UTF-16 order would put the emoji first');
  assert.ok(compareCodePoints(astral, privateUse) > 0);
  assert.ok(compareCodePoints(privateUse, astral) < 0);
  assert.ok(compareCodePoints('a', 'b') < 0);
  assert.ok(compareCodePoints('ab', 'a') > 0);
  assert.equal(compareCodePoints('x\u{1F600}', 'x\u{1F600}'), 0);
});

test('IPv4 addresses: strict dotted quad', () => {
  assert.equal(parseIpv4('1.2.3.4'), 0x01020304n);
  for (const bad of ['1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.-4', '0x1.2.3.4', '']) {
    assert.equal(parseIpv4(bad), undefined, bad);
  }
});

test('IPv6 addresses: full, compressed and with an IPv4 tail', () => {
  assert.equal(parseIpv6('::'), 0n);
  assert.equal(parseIpv6('::1'), 1n);
  assert.equal(parseIpv6('2001:db8::'), 0x20010db8n << 96n);
  assert.equal(parseIpv6('1:2:3:4:5:6:7:8'), 0x00010002000300040005000600070008n);
  assert.equal(parseIpv6('::ffff:1.2.3.4'), 0xffff01020304n);
  for (const bad of [
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '12345::',
    '1.2.3.4::',
    ':1::',
    'g::',
    '1:2:3:4:5:6:7',
  ]) {
    assert.equal(parseIpv6(bad), undefined, bad);
  }
});

test('CIDR containment for IPv4 and IPv6; families never mix', () => {
  const net = (text: string) => {
    const parsed = parseIpNetwork(text);
    assert.ok(parsed, text);
    return parsed;
  };
  assert.ok(networkContains(net('10.0.0.0/8'), net('10.1.2.3')));
  assert.ok(networkContains(net('10.0.0.0/8'), net('10.1.0.0/16')));
  assert.ok(!networkContains(net('10.1.0.0/16'), net('10.0.0.0/8')), 'a wider network is not inside');
  assert.ok(!networkContains(net('10.0.0.0/8'), net('11.0.0.1')));
  assert.ok(networkContains(net('0.0.0.0/0'), net('203.0.113.9')));
  assert.ok(networkContains(net('1.2.3.4'), net('1.2.3.4')), 'a bare address is its own /32');
  assert.ok(networkContains(net('2001:db8::/32'), net('2001:db8:1::5')));
  assert.ok(!networkContains(net('2001:db8::/32'), net('2001:db9::1')));
  assert.ok(networkContains(net('::/0'), net('::1')));
  assert.ok(!networkContains(net('::/0'), net('1.2.3.4')), 'IPv4 is not inside an IPv6 network');
  assert.ok(!networkContains(net('0.0.0.0/0'), net('::ffff:1.2.3.4')));
  for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/08', 'host/8']) {
    assert.equal(parseIpNetwork(bad), undefined, bad);
  }
});

test('the compiled network relation agrees with parseIpNetwork + networkContains on every pair', () => {
  const texts = [
    '10.0.0.0/8',
    '10.1.2.3',
    '10.1.0.0/16',
    '10.255.255.255/32',
    '0.0.0.0/0',
    '11.0.0.1',
    '010.1.2.3',
    '10.1.2',
    '10.1.2.3/',
    '10.1.2.3/33',
    '1.2.3.4/08',
    '2001:db8::/32',
    '2001:db8::1',
    '::ffff:10.1.2.3',
    'x',
    '',
  ];
  for (const constantText of texts) {
    const constant = parseIpNetwork(constantText);
    if (constant === undefined) continue;
    const inside = compileNetworkRelation(constant, 'inside');
    const around = compileNetworkRelation(constant, 'around');
    for (const text of texts) {
      const value = parseIpNetwork(text);
      const label = `${text} vs ${constantText}`;
      assert.equal(inside(text), value !== undefined && networkContains(constant, value), `${label} inside`);
      assert.equal(around(text), value !== undefined && networkContains(value, constant), `${label} around`);
    }
  }
});

test('LIKE with % only (matched without a regex) agrees with the regex form', () => {
  const patterns = ['a%b%c', '%', '%%', 'abc', '%a%', 'a%', '%a', 'ab%ab', '%ab%ab%', ''];
  const texts = ['', 'a', 'abc', 'aXbYc', 'acb', 'ab', 'abab', 'ababab', 'xab', 'aba'];
  for (const pattern of patterns) {
    // Adding '_' forces the regex form; '%_' would change the meaning, so compare against a regex built here.
    const regex = new RegExp(
      `^${pattern
        .split('%')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[\\s\\S]*')}$`,
      'u',
    );
    for (const text of texts) {
      assert.equal(
        compileLike(pattern)(text),
        regex.test(text),
        `${JSON.stringify(text)} LIKE ${JSON.stringify(pattern)}`,
      );
    }
  }
});

test('LIKE: % any run, _ one character, whole value, newlines included (SQL, not the reference)', () => {
  const like = (pattern: string, text: string) => compileLike(pattern)(text);
  assert.ok(like('a%', 'abc'));
  assert.ok(like('%c', 'abc'));
  assert.ok(like('a_c', 'abc'));
  assert.ok(!like('a_c', 'abbc'));
  assert.ok(!like('ab', 'abc'), 'whole value');
  assert.ok(like('%', ''));
  assert.ok(like('a.c', 'a.c') && !like('a.c', 'abc'), 'regex characters are literal');
  assert.ok(like('(x)*[y]', '(x)*[y]'));
  assert.ok(like('a%b', 'a\nb'), '% spans a newline');
  assert.ok(!like('abc', 'abc\n'), 'a trailing newline is part of the value');
  assert.ok(like('_', '\u{1F600}'), '_ is one code point');
  assert.equal(likeLiteralPrefix('/etc/%.conf'), '/etc/');
  assert.equal(likeLiteralPrefix('%x'), '');
  assert.equal(likeLiteralPrefix('plain'), 'plain');
  assert.equal(likeLiteralSuffix('%/etc/passwd'), '/etc/passwd');
  assert.equal(likeLiteralSuffix('%/authorized_keys'), 'keys', '_ is a wildcard');
  assert.equal(likeLiteralSuffix('/etc/%.c_nf'), 'nf');
  assert.equal(likeLiteralSuffix('x%'), '');
  assert.equal(likeLiteralSuffix('plain'), 'plain');
});
