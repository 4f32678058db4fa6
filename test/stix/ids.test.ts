import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, deterministicId, uuidv5 } from '../../src/stix/ids.js';

test('uuidv5 matches the RFC 4122 DNS-namespace example for python.org', () => {
  // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
  assert.equal(uuidv5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '886313e1-3b8a-5372-9b90-0c9aee199e5d');
});

test('STIX 2.1 deterministic id of an ipv4-addr (value is the contributing property)', () => {
  // Python: uuid.uuid5(uuid.UUID('00abedb4-aa42-466c-9c01-fed23315a9b7'), '{"value":"1.2.3.4"}')
  assert.equal(deterministicId('ipv4-addr', { value: '1.2.3.4' }), 'ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4');
  assert.match(deterministicId('file', { name: 'a' }), /^file--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('canonical JSON sorts keys, drops undefined, and is order independent', () => {
  assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined }), '{"a":[true,null,"x"],"b":1}');
  assert.equal(canonicalJson({ x: { z: 1, y: 2 } }), canonicalJson({ x: { y: 2, z: 1 } }));
});
