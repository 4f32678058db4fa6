import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { canonicalJson, deterministicId, hashedUuid } from '../../src/stix/ids.js';
import { prng } from '../engine/random.js';

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

test('names hashed in the reused buffer and names too long for it give the SHA-1 of namespace and name', () => {
  // 1,000 and 3,000 two-byte characters: the first fits the reused buffer, the second does not.
  for (const count of [1_000, 3_000]) {
    const name = `{"value":"${'é'.repeat(count)}"}`;
    const digest = createHash('sha1')
      .update(Buffer.from('00abedb4aa42466c9c01fed23315a9b7', 'hex'))
      .update(name, 'utf8')
      .digest('hex');
    assert.equal(hashedUuid(name, 5).replaceAll('-', '').slice(0, 12), digest.slice(0, 12), `${count}`);
  }
  // A short name after a long one: nothing of the long one is left in the buffer.
  assert.equal(hashedUuid('{"value":"1.2.3.4"}', 5), '0198f97b-e65d-5025-87e5-58bc39d4bdb4');
});

/** The canonical form by its definition: sorted keys, JSON.stringify for everything else. */
function canonicalByDefinition(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalByDefinition).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalByDefinition(record[key])}`).join(',')}}`;
}

test('canonical JSON equals its definition over generated values, escapes and all', () => {
  const random = prng(7);
  const texts = ['', 'plain', 'quote"d', 'back\\slash', 'new\nline', 'tab\t', 'é', '\u0001', '😀', '~\u007f'];
  const generate = (depth: number): unknown => {
    const pick = Math.floor(random() * (depth > 2 ? 4 : 6));
    if (pick === 0) return texts[Math.floor(random() * texts.length)];
    if (pick === 1) return Math.floor(random() * 2 ** 40) - 2 ** 39;
    if (pick === 2) return random() < 0.5;
    if (pick === 3) return undefined;
    if (pick === 4) return Array.from({ length: Math.floor(random() * 4) }, () => generate(depth + 1) ?? null);
    const record: Record<string, unknown> = {};
    for (let i = 0; i < Math.floor(random() * 5); i++) {
      record[texts[Math.floor(random() * texts.length)] ?? 'k'] = generate(depth + 1);
    }
    return record;
  };
  for (let i = 0; i < 2000; i++) {
    const value = { root: generate(0) };
    assert.equal(canonicalJson(value), canonicalByDefinition(value));
  }
});
