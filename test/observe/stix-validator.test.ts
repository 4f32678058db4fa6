import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StixObject } from '../../src/contracts.js';
import { isSkip } from '../../src/observe/index.js';
import { validateStix as validate } from '../helpers/stix-validator.js';
import { ALL_FIXTURES, observeFixture } from './fixtures.js';

const root = join(import.meta.dirname, '..', '..');

function extensionDefinitions(): unknown[] {
  const bundle = JSON.parse(readFileSync(join(root, 'stix', 'extension-definitions.json'), 'utf8')) as {
    objects: unknown[];
  };
  return bundle.objects;
}

test('every object produced from every sample is valid STIX 2.1 (OASIS stix2-validator)', () => {
  const objects = new Map<string, StixObject>();
  for (const name of ALL_FIXTURES) {
    for (const result of observeFixture(name)) {
      if (isSkip(result)) continue;
      objects.set(result.observedData.id, result.observedData);
      for (const object of result.objects.values()) objects.set(object.id, object);
    }
  }
  const types = new Set([...objects.values()].map((object) => object.type));
  for (const type of [
    'process',
    'file',
    'directory',
    'network-traffic',
    'kubernetes-api-request',
    'kubernetes-pod',
  ]) {
    assert.ok(types.has(type), `the samples produce ${type}`);
  }
  const verdict = validate([...extensionDefinitions(), ...objects.values()]);
  assert.deepEqual(verdict.errors, []);
  assert.equal(verdict.valid, true);
  // The warnings left are known and documented in docs/observations.md: the validator expects UUIDv4 for
  // SCO types it does not know ({103}), `kubernetes` is not in account-type-ov ({244}; fixed by issue 3),
  // and a connection known only by its far end has no src_port ({301}).
  const known =
    /^(kubernetes-api-request--.*\{103\}|user-account--.*\{244\}.*'kubernetes'|network-traffic--.*\{301\})/;
  for (const warning of verdict.warnings) assert.match(warning, known);
});

test('the validator catches what this test relies on it to catch', () => {
  const process = {
    type: 'process',
    spec_version: '2.1',
    id: 'process--0b1a6bcd-1f6e-5d0e-9a3c-2b4d6f8a0c1e',
    pid: 1,
  };
  const verdict = validate([process]);
  assert.equal(verdict.valid, false);
});
