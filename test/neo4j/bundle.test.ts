import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatDiagnostic, parseBundleFile, type BundleDiagnostic } from '../../src/neo4j/bundle.js';

const upstreamPath = 'test/fixtures/neo4j/stix-attack-model.json';
const uuid = /--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const indicator = {
  type: 'indicator',
  id: 'indicator--0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  pattern: "[process:name = 'sh']",
  pattern_type: 'stix',
  valid_from: '2024-01-01T00:00:00Z',
};

function bundleText(objects: unknown[], id = 'bundle--5d0c2e9a-3b1f-4c2d-9e8f-7a6b5c4d3e2f'): string {
  return JSON.stringify({ type: 'bundle', id, objects });
}

function errors(diagnostics: readonly BundleDiagnostic[]): BundleDiagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

test('the upstream attack model is valid; each id that is not a UUID gets one warning', () => {
  const text = readFileSync(upstreamPath, 'utf8');
  const parsed = parseBundleFile(text, upstreamPath);
  const objects = (JSON.parse(text) as { objects: { id: string }[] }).objects;
  assert.equal(parsed.rejected, 0);
  assert.deepEqual(errors(parsed.diagnostics), []);
  assert.equal(parsed.bundles.length, 1);
  assert.deepEqual(
    parsed.bundles[0]?.objects.map((o) => o.id),
    objects.map((o) => o.id),
  );
  const warned = parsed.diagnostics.map((d) => `${d.code} ${d.objectIndex} ${d.path}`);
  const expected = objects.flatMap((o, index) =>
    uuid.test(o.id) ? [] : [`non-uuid-id ${index} $.objects[${index}].id`],
  );
  assert.ok(expected.length > 0, 'the fixture has ids that are not UUIDs');
  assert.deepEqual(warned, expected);
});

test('a malformed object is reported with its index and the JSON path of each fault', () => {
  const text = bundleText([
    indicator,
    {
      type: 'relationship',
      id: 'relationship--1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
      relationship_type: 'uses',
      source_ref: indicator.id,
    },
    {
      type: 'observed-data',
      id: 'observed-data--2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
      first_observed: '2024-01-01T00:00:00Z',
      created: 'yesterday',
      object_refs: ['process--3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a', 'not an id'],
    },
    {
      type: 'indicator',
      id: 'malware--4e5f6a7b-8c9d-4e0f-8a1b-2c3d4e5f6a7b',
      pattern: 'x',
      pattern_type: 'stix',
    },
    'just a string',
  ]);
  const parsed = parseBundleFile(text, 'bad.json');
  assert.equal(parsed.bundles.length, 0);
  assert.equal(parsed.rejected, 1);
  const found = errors(parsed.diagnostics).map((d) => `${d.objectIndex} ${d.path}`);
  assert.deepEqual(found.sort(), [
    '1 $.objects[1].target_ref',
    '2 $.objects[2].created',
    '2 $.objects[2].object_refs[1]',
    '3 $.objects[3].id',
    '4 $.objects[4]',
  ]);
  const line = formatDiagnostic(errors(parsed.diagnostics)[0] as BundleDiagnostic);
  assert.match(
    line,
    /^bad\.json: \$\.objects\[1\]\.target_ref \(object 1, relationship--1b2c3d4e-[^)]*\): error/,
  );
});

test('relationship types, property names and nulls that cannot be stored safely are faults', () => {
  const text = bundleText([
    {
      type: 'relationship',
      id: 'relationship--5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c',
      relationship_type: 'uses]->(x) DETACH DELETE x //',
      source_ref: indicator.id,
      target_ref: indicator.id,
    },
    { ...indicator, Name: 'capitalised', description: null, 'weird`_ref': indicator.id },
  ]);
  const found = errors(parseBundleFile(text, 'f.json').diagnostics).map((d) => d.path);
  assert.deepEqual(found.sort(), [
    '$.objects[0].relationship_type',
    '$.objects[1].Name',
    '$.objects[1].description',
    '$.objects[1]["weird`_ref"]',
  ]);
});

test('in a list of bundles only the bad bundle is rejected, and paths name the bundle', () => {
  const good = JSON.parse(bundleText([indicator])) as unknown;
  const bad = JSON.parse(bundleText([{ ...indicator, pattern: 42 }])) as unknown;
  const parsed = parseBundleFile(JSON.stringify([good, bad, { type: 'not-a-bundle' }]), 'list.json');
  assert.deepEqual(
    parsed.bundles.map((b) => b.path),
    ['$[0]'],
  );
  assert.equal(parsed.rejected, 2);
  assert.deepEqual(
    errors(parsed.diagnostics).map((d) => `${d.code} ${d.path}`),
    ['invalid-object $[1].objects[0].pattern', 'invalid-bundle $[2].type', 'invalid-bundle $[2].id'],
  );
});

test('text that is not JSON is one error for the file', () => {
  const parsed = parseBundleFile('{"type": "bundle",', 'broken.json');
  assert.equal(parsed.rejected, 1);
  assert.equal(parsed.diagnostics[0]?.code, 'invalid-json');
  assert.equal(parsed.diagnostics[0].file, 'broken.json');
});

test('a bundle without objects is valid and empty', () => {
  const parsed = parseBundleFile(
    JSON.stringify({ type: 'bundle', id: 'bundle--6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d' }),
    'e.json',
  );
  assert.equal(parsed.rejected, 0);
  assert.deepEqual(parsed.bundles[0]?.objects, []);
});
