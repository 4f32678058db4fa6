import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StixObject } from '../../src/contracts.js';
import { isSkip } from '../../src/observe/index.js';
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
