import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import neo4j from 'neo4j-driver';
import type { StixObject } from '../../src/contracts.js';
import {
  GraphNameError,
  JSON_PROPERTY,
  compareTimestamps,
  cypherName,
  edgeTypeForRef,
  edgeTypeForRelationship,
  labelForType,
  matchedEdgesOf,
  nodeOf,
  refEdgesOf,
  relationshipEdgeOf,
  typeOfId,
  versionOf,
} from '../../src/neo4j/graph-model.js';

const safeName = /^[A-Z][A-Za-z0-9_]*$/;

test('labels are the PascalCase of the STIX type', () => {
  assert.equal(labelForType('indicator'), 'Indicator');
  assert.equal(labelForType('attack-pattern'), 'AttackPattern');
  assert.equal(labelForType('intrusion-set'), 'IntrusionSet');
  assert.equal(labelForType('observed-data'), 'ObservedData');
  assert.equal(labelForType('ipv4-addr'), 'Ipv4Addr');
  assert.equal(labelForType('x509-certificate'), 'X509Certificate');
  assert.equal(labelForType('x-mitre-tactic'), 'XMitreTactic');
});

test('reference edges are named after the property without _ref/_refs, in upper snake case', () => {
  assert.equal(edgeTypeForRef('sighting_of_ref'), 'SIGHTING_OF');
  assert.equal(edgeTypeForRef('observed_data_refs'), 'OBSERVED_DATA');
  assert.equal(edgeTypeForRef('where_sighted_refs'), 'WHERE_SIGHTED');
  assert.equal(edgeTypeForRef('image_ref'), 'IMAGE');
  assert.equal(edgeTypeForRef('object_refs'), 'OBJECT');
  assert.equal(edgeTypeForRelationship('related-to'), 'RELATED_TO');
  assert.equal(edgeTypeForRelationship('uses'), 'USES');
});

test('names that could break out of Cypher are refused', () => {
  const attempts = ['uses]->() DETACH DELETE n //', 'uses`', 'Uses', '', 'a b', 'x--y', '-uses', 'ünicode'];
  for (const attempt of attempts) {
    assert.throws(() => edgeTypeForRelationship(attempt), GraphNameError, attempt);
    assert.throws(() => labelForType(attempt), GraphNameError, attempt);
  }
  assert.throws(() => edgeTypeForRef('image`]->(x) DELETE x //_ref'), GraphNameError);
  assert.throws(() => cypherName('A`B'), GraphNameError);
  assert.equal(cypherName('AttackPattern'), '`AttackPattern`');
});

test('whatever the input, a produced name is safe for Cypher', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (text) => {
      for (const make of [labelForType, edgeTypeForRelationship, edgeTypeForRef]) {
        try {
          assert.match(make(text), safeName);
        } catch (error) {
          if (!(error instanceof GraphNameError)) throw error;
        }
      }
    }),
    { numRuns: 2000 },
  );
});

test('scalars and lists of scalars become properties; nested objects stay in the JSON', () => {
  const process: StixObject = {
    type: 'process',
    id: 'process--5b4f20e7-76fd-4bc8-bd23-4b9c4b15a17e',
    pid: 13312,
    command_line: '/usr/bin/tail -F x',
    is_hidden: false,
    ratio: 0.5,
    arguments: ['-F', 'x'],
    ports: [1, 2],
    weights: [1, 2.5],
    mixed: ['a', 1],
    empty: [],
    extensions: { flags: 'procFS' },
  };
  const node = nodeOf(process);
  assert.equal(node.label, 'Process');
  assert.equal(node.properties.id, process.id);
  assert.equal(node.properties.type, 'process');
  assert.ok(neo4j.isInt(node.properties.pid));
  assert.equal(String(node.properties.pid), '13312');
  assert.equal(node.properties.ratio, 0.5);
  assert.equal(node.properties.is_hidden, false);
  assert.deepEqual(node.properties.arguments, ['-F', 'x']);
  assert.deepEqual((node.properties.ports as unknown[]).map(String), ['1', '2']);
  assert.deepEqual(node.properties.weights, [1, 2.5]);
  for (const dropped of ['mixed', 'empty', 'extensions'])
    assert.equal(node.properties[dropped], undefined, dropped);
  assert.deepEqual(JSON.parse(String(node.properties[JSON_PROPERTY])), process);
});

test('each distinct reference becomes one edge; a relationship links its ends instead', () => {
  const observed: StixObject = {
    type: 'observed-data',
    id: 'observed-data--11111111-1111-4111-8111-111111111111',
    created_by_ref: 'identity--22222222-2222-4222-8222-222222222222',
    object_refs: ['process--a', 'file--b', 'process--a'],
  };
  assert.deepEqual(
    refEdgesOf(observed).map((e) => `${e.type}:${e.property}:${e.to}`),
    [
      'CREATED_BY:created_by_ref:identity--22222222-2222-4222-8222-222222222222',
      'OBJECT:object_refs:process--a',
      'OBJECT:object_refs:file--b',
    ],
  );
  const relationship: StixObject = {
    type: 'relationship',
    id: 'relationship--33333333-3333-4333-8333-333333333333',
    relationship_type: 'indicates',
    source_ref: 'indicator--a',
    target_ref: 'attack-pattern--b',
    created_by_ref: 'identity--c',
    ref: 'not a marker',
  };
  assert.deepEqual(
    refEdgesOf(relationship).map((e) => e.type),
    ['CREATED_BY'],
  );
  const edge = relationshipEdgeOf(relationship);
  assert.ok(edge);
  assert.equal(edge.type, 'INDICATES');
  assert.equal(edge.source, 'indicator--a');
  assert.equal(edge.target, 'attack-pattern--b');
  assert.equal(edge.properties.id, relationship.id);
  assert.equal(edge.properties.ref, undefined);
  assert.equal(relationshipEdgeOf(observed), undefined);
});

test('a sighting of an indicator makes SIGHTING_OF, OBSERVED_DATA, WHERE_SIGHTED and MATCHED', () => {
  const sighting: StixObject = {
    type: 'sighting',
    id: 'sighting--44444444-4444-4444-8444-444444444444',
    sighting_of_ref: 'indicator--a',
    observed_data_refs: ['observed-data--x', 'observed-data--y'],
    where_sighted_refs: ['identity--cluster'],
    count: 2,
  };
  assert.deepEqual(
    refEdgesOf(sighting).map((e) => `${e.type}->${e.to}`),
    [
      'SIGHTING_OF->indicator--a',
      'OBSERVED_DATA->observed-data--x',
      'OBSERVED_DATA->observed-data--y',
      'WHERE_SIGHTED->identity--cluster',
    ],
  );
  assert.deepEqual(matchedEdgesOf(sighting), [
    { indicator: 'indicator--a', observedData: 'observed-data--x' },
    { indicator: 'indicator--a', observedData: 'observed-data--y' },
  ]);
  assert.deepEqual(matchedEdgesOf({ ...sighting, sighting_of_ref: 'malware--m' }), []);
});

test('ids, versions and timestamps', () => {
  assert.equal(typeOfId('attack-pattern--abc'), 'attack-pattern');
  assert.equal(typeOfId('nodashes'), undefined);
  assert.equal(typeOfId('Bad--x'), undefined);
  assert.equal(versionOf({ type: 't', id: 't--1', created: '2024-01-01T00:00:00Z' }), '2024-01-01T00:00:00Z');
  assert.equal(
    versionOf({ type: 't', id: 't--1', created: '2024-01-01T00:00:00Z', modified: '2024-02-01T00:00:00Z' }),
    '2024-02-01T00:00:00Z',
  );
  assert.equal(versionOf({ type: 't', id: 't--1' }), undefined);
  assert.equal(compareTimestamps('2024-01-01T00:00:00Z', '2024-01-01T00:00:00.5Z'), -1);
  assert.equal(compareTimestamps('2024-01-01T00:00:00.500Z', '2024-01-01T00:00:00.5Z'), 0);
  assert.equal(compareTimestamps('2024-01-01T00:00:01Z', '2024-01-01T00:00:00.999999Z'), 1);
});

test('timestamp order agrees with Date order at millisecond precision', () => {
  const instant = fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2100-01-01T00:00:00Z'),
    noInvalidDate: true,
  });
  fc.assert(
    fc.property(instant, instant, fc.boolean(), (a, b, trim) => {
      const stix = (d: Date): string => (trim ? d.toISOString().replace(/\.?0+Z$/, 'Z') : d.toISOString());
      assert.equal(compareTimestamps(stix(a), stix(b)), Math.sign(a.getTime() - b.getTime()));
    }),
  );
});
