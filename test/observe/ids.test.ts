import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StixObject } from '../../src/contracts.js';
import { isSkip } from '../../src/observe/index.js';
import { canonicalJson, hashedUuid } from '../../src/observe/ids.js';
import { ensurePythonVenv } from '../helpers/python.js';
import { ALL_FIXTURES, observeFixture } from './fixtures.js';

const SPEC_ID_TYPES = new Set([
  'file',
  'directory',
  'user-account',
  'ipv4-addr',
  'ipv6-addr',
  'network-traffic',
]);

test('SCO ids equal those the OASIS stix2 library derives (UUIDv5 over the ID-contributing properties)', () => {
  const objects = new Map<string, StixObject>();
  for (const name of ALL_FIXTURES) {
    for (const result of observeFixture(name)) {
      if (isSkip(result)) continue;
      for (const object of result.objects.values())
        if (SPEC_ID_TYPES.has(object.type)) objects.set(object.id, object);
    }
  }
  assert.deepEqual(new Set([...objects.values()].map((object) => object.type)), SPEC_ID_TYPES);
  const python = ensurePythonVenv('stix2', ['stix2==3.0.1']);
  const withoutIds = [...objects.values()].map(({ id: _id, ...rest }) => rest);
  const output = execFileSync(python, [join(import.meta.dirname, 'stix2_ids.py')], {
    input: JSON.stringify(withoutIds),
    encoding: 'utf8',
  });
  assert.deepEqual(JSON.parse(output), [...objects.keys()]);
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
