import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, deterministicId, hashedUuid } from '../../src/stix/ids.js';

test('a deterministic id is UUIDv5 over the canonical JSON, in the STIX namespace', () => {
  // Python: uuid.uuid5(uuid.UUID('00abedb4-aa42-466c-9c01-fed23315a9b7'), '{"value":"1.2.3.4"}')
  assert.equal(deterministicId('ipv4-addr', { value: '1.2.3.4' }), 'ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4');
  assert.equal(hashedUuid('{"value":"1.2.3.4"}', 5), '0198f97b-e65d-5025-87e5-58bc39d4bdb4');
});

test('canonical JSON sorts keys at every depth and drops undefined', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [2, { f: 'x', e: true }], c: undefined } }),
    '{"a":{"d":[2,{"e":true,"f":"x"}]},"b":1}',
  );
});

test('hashed UUIDs carry the version and RFC 4122 variant, and depend on the name', () => {
  assert.match(hashedUuid('a', 5), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(hashedUuid('a', 4), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(hashedUuid('a', 5), hashedUuid('b', 5));
  assert.equal(hashedUuid('a', 5), hashedUuid('a', 5));
});
