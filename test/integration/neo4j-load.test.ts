import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { StixObject } from '../../src/contracts.js';
import {
  GraphNameError,
  ensureSchema,
  labelForType,
  loadBundle,
  parseBundleFile,
  type StixBundle,
} from '../../src/neo4j/index.js';
import { deleteIds, newId, query, snapshot, testCredentials, testDriver } from './neo4j-env.js';

const credentials = testCredentials();
const driver = testDriver(credentials);
before(() => ensureSchema(driver, credentials));
after(() => driver.close());

const upstreamPath = 'test/fixtures/neo4j/stix-attack-model.json';

function bundle(objects: readonly StixObject[]): StixBundle {
  return { file: 'test', path: '$', id: newId('bundle'), objects };
}

function load(objects: readonly StixObject[]) {
  return loadBundle(driver, credentials, bundle(objects));
}

function upstreamBundle(): StixBundle {
  const parsed = parseBundleFile(readFileSync(upstreamPath, 'utf8'), upstreamPath);
  const [only] = parsed.bundles;
  assert.ok(only && parsed.bundles.length === 1);
  return only;
}

test('the upstream attack model loads: a labelled node per object, an edge per relationship', async () => {
  const model = upstreamBundle();
  const ids = model.objects.map((o) => o.id);
  await deleteIds(driver, ids);
  const result = await loadBundle(driver, credentials, model);
  assert.equal(result.counts.created, model.objects.length);
  assert.equal(result.counts.placeholders, 0);

  const graph = await snapshot(driver, ids);
  assert.equal(graph.nodes.length, model.objects.length);
  for (const object of model.objects) {
    const node = graph.nodes.find((n) => n.id === object.id);
    assert.ok(node, object.id);
    assert.deepEqual(node.labels, ['StixObject', labelForType(object.type)].sort());
    assert.deepEqual(JSON.parse(String(node.properties.stix_json)), object);
    for (const name of ['name', 'description', 'pattern', 'pattern_type', 'relationship_type', 'goals']) {
      assert.deepEqual(node.properties[name], object[name], `${object.id} ${name}`);
    }
  }
  const relationships = model.objects.filter((o) => o.type === 'relationship');
  assert.ok(relationships.length > 0);
  for (const relationship of relationships) {
    const edges = graph.edges.filter((e) => e.properties.id === relationship.id);
    const expectedType = String(relationship.relationship_type).replaceAll('-', '_').toUpperCase();
    assert.deepEqual(
      edges.map((e) => `${e.from} ${e.type} ${e.to}`),
      [`${String(relationship.source_ref)} ${expectedType} ${String(relationship.target_ref)}`],
    );
  }
  assert.equal(graph.edges.length, relationships.length);

  // The prototype read its indicators with exactly this query.
  const indicators = await query(
    driver,
    'MATCH (i:Indicator) WHERE i.id IN $ids RETURN i.id AS id, i.pattern AS pattern',
    {
      ids,
    },
  );
  assert.deepEqual(
    indicators.sort((a, b) => String(a.id).localeCompare(String(b.id))),
    model.objects
      .filter((o) => o.type === 'indicator')
      .map((o) => ({ id: o.id, pattern: o.pattern }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  );
});

test('loading the same bundle twice changes nothing', async () => {
  const model = upstreamBundle();
  const ids = model.objects.map((o) => o.id);
  await loadBundle(driver, credentials, model);
  const first = await snapshot(driver, ids);
  const again = await loadBundle(driver, credentials, model);
  assert.deepEqual(again.counts, {
    created: 0,
    updated: 0,
    unchanged: model.objects.length,
    olderIgnored: 0,
    placeholders: 0,
    edges: 0,
  });
  assert.deepEqual(await snapshot(driver, ids), first);
});

function attackPattern(id: string, modified: string, name: string, createdBy: string): StixObject {
  return {
    type: 'attack-pattern',
    spec_version: '2.1',
    id,
    created: '2024-01-01T00:00:00Z',
    modified,
    name,
    created_by_ref: createdBy,
  };
}

test('a newer modified replaces the stored object and its edges; an older one is ignored', async () => {
  const id = newId('attack-pattern');
  const [author1, author2] = [newId('identity'), newId('identity')];
  const v1 = attackPattern(id, '2024-02-01T00:00:00Z', 'first', author1);
  const v2 = attackPattern(id, '2024-02-01T00:00:00.5Z', 'second', author2);
  const ids = [id, author1, author2];
  try {
    assert.equal((await load([v1])).counts.created, 1);
    const updated = await load([v2]);
    assert.equal(updated.counts.updated, 1);
    const afterUpdate = await snapshot(driver, ids);
    const node = afterUpdate.nodes.find((n) => n.id === id);
    assert.ok(node);
    assert.equal(node.properties.name, 'second');
    assert.equal(node.properties.modified, v2.modified);
    assert.deepEqual(
      afterUpdate.edges.map((e) => `${e.from} ${e.type} ${e.to} ${String(e.properties.ref)}`),
      [`${id} CREATED_BY ${author2} created_by_ref`],
    );

    const older = await load([v1]);
    assert.equal(older.counts.olderIgnored, 1);
    assert.equal(older.warnings.length, 1);
    assert.match(older.warnings[0]?.message ?? '', /newer version/);
    assert.deepEqual(await snapshot(driver, ids), afterUpdate);
  } finally {
    await deleteIds(driver, ids);
  }
});

test('within one bundle, the newest of several versions wins', async () => {
  const id = newId('attack-pattern');
  const author = newId('identity');
  try {
    const result = await load([
      attackPattern(id, '2024-03-02T00:00:00Z', 'newest', author),
      attackPattern(id, '2024-03-01T00:00:00Z', 'older', author),
    ]);
    assert.equal(result.counts.created, 1);
    const [row] = await query(driver, 'MATCH (n:StixObject {id: $id}) RETURN n.name AS name', { id });
    assert.equal(row?.name, 'newest');
  } finally {
    await deleteIds(driver, [id, author]);
  }
});

test('a replaced relationship moves its edge, and only one edge carries its id', async () => {
  const [source, target1, target2] = [
    newId('intrusion-set'),
    newId('attack-pattern'),
    newId('attack-pattern'),
  ];
  const id = newId('relationship');
  const relationship = (modified: string, type: string, target: string): StixObject => ({
    type: 'relationship',
    id,
    created: '2024-01-01T00:00:00Z',
    modified,
    relationship_type: type,
    source_ref: source,
    target_ref: target,
  });
  const ids = [source, target1, target2, id];
  try {
    await load([relationship('2024-01-01T00:00:00Z', 'uses', target1)]);
    await load([relationship('2024-01-02T00:00:00Z', 'derived-from', target2)]);
    const edges = (await snapshot(driver, ids)).edges.filter((e) => e.properties.id === id);
    assert.deepEqual(
      edges.map((e) => `${e.from} ${e.type} ${e.to}`),
      [`${source} DERIVED_FROM ${target2}`],
    );
  } finally {
    await deleteIds(driver, ids);
  }
});

test('references become typed edges; a missing target is a placeholder until its object loads', async () => {
  const [observed, child, parent, file] = [
    newId('observed-data'),
    newId('process'),
    newId('process'),
    newId('file'),
  ];
  const ids = [observed, child, parent, file];
  const objects: StixObject[] = [
    {
      type: 'observed-data',
      id: observed,
      created: '2024-01-01T00:00:00Z',
      modified: '2024-01-01T00:00:00Z',
      first_observed: '2024-01-01T00:00:00Z',
      last_observed: '2024-01-01T00:00:00Z',
      number_observed: 1,
      object_refs: [child, file],
    },
    {
      type: 'process',
      id: child,
      pid: 42,
      command_line: 'cat /etc/shadow',
      image_ref: file,
      parent_ref: parent,
    },
    { type: 'file', id: file, name: 'cat' },
  ];
  try {
    const first = await load(objects);
    assert.equal(first.counts.created, 3);
    assert.equal(first.counts.placeholders, 1);
    const graph = await snapshot(driver, ids);
    assert.deepEqual(
      graph.edges.map((e) => `${e.from} ${e.type} ${e.to} ${String(e.properties.ref)}`).sort(),
      [
        `${child} IMAGE ${file} image_ref`,
        `${child} PARENT ${parent} parent_ref`,
        `${observed} OBJECT ${child} object_refs`,
        `${observed} OBJECT ${file} object_refs`,
      ].sort(),
    );
    const placeholder = graph.nodes.find((n) => n.id === parent);
    assert.deepEqual(placeholder?.labels, ['Process', 'StixObject']);
    assert.deepEqual(placeholder.properties, { id: parent, type: 'process' });
    const [pid] = await query(driver, 'MATCH (p:Process {id: $child}) WHERE p.pid = 42 RETURN p.pid AS pid', {
      child,
    });
    assert.deepEqual(pid, { pid: 42 });

    const filled = await load([{ type: 'process', id: parent, pid: 1, command_line: 'init' }]);
    assert.equal(filled.counts.created, 1);
    const after = await snapshot(driver, ids);
    assert.equal(after.nodes.find((n) => n.id === parent)?.properties.command_line, 'init');
    assert.deepEqual(after.edges, graph.edges);
  } finally {
    await deleteIds(driver, ids);
  }
});

test('a sighting links indicator, observed-data and identity, plus the prototype MATCHED edge', async () => {
  const [indicator, observed, identity, sighting] = [
    newId('indicator'),
    newId('observed-data'),
    newId('identity'),
    newId('sighting'),
  ];
  const ids = [indicator, observed, identity, sighting];
  const stamp = '2024-05-01T10:00:00.000Z';
  try {
    await load([
      {
        type: 'indicator',
        id: indicator,
        created: stamp,
        modified: stamp,
        pattern: "[file:name = 'x']",
        pattern_type: 'stix',
        valid_from: stamp,
      },
      {
        type: 'observed-data',
        id: observed,
        created: stamp,
        modified: stamp,
        first_observed: stamp,
        last_observed: stamp,
        number_observed: 1,
        object_refs: [],
      },
      {
        type: 'identity',
        id: identity,
        created: stamp,
        modified: stamp,
        name: 'honeycluster',
        identity_class: 'system',
      },
      {
        type: 'sighting',
        id: sighting,
        created: stamp,
        modified: stamp,
        count: 1,
        sighting_of_ref: indicator,
        observed_data_refs: [observed],
        where_sighted_refs: [identity],
      },
    ]);
    const graph = await snapshot(driver, ids);
    assert.deepEqual(
      graph.edges.map((e) => `${e.from} ${e.type} ${e.to}`).sort(),
      [
        `${indicator} MATCHED ${observed}`,
        `${sighting} OBSERVED_DATA ${observed}`,
        `${sighting} SIGHTING_OF ${indicator}`,
        `${sighting} WHERE_SIGHTED ${identity}`,
      ].sort(),
    );
    // The prototype's own write: MERGE finds the edge instead of adding a second one.
    await query(
      driver,
      'MATCH (i:Indicator {id: $id}), (o:ObservedData {id: $obs}) MERGE (i)-[:MATCHED]->(o)',
      {
        id: indicator,
        obs: observed,
      },
    );
    assert.deepEqual((await snapshot(driver, ids)).edges, graph.edges);

    // An aggregated sighting comes back with a later modified and a higher count: updated in place.
    const later = '2024-05-01T10:05:00.000Z';
    const update = await load([
      {
        type: 'sighting',
        id: sighting,
        created: stamp,
        modified: later,
        count: 3,
        sighting_of_ref: indicator,
        observed_data_refs: [observed],
        where_sighted_refs: [identity],
      },
    ]);
    assert.equal(update.counts.updated, 1);
    const [row] = await query(driver, 'MATCH (s:Sighting {id: $id}) RETURN s.count AS count', {
      id: sighting,
    });
    assert.deepEqual(row, { count: 3 });
    const edgesAfter = (await snapshot(driver, ids)).edges.map((e) => `${e.from} ${e.type} ${e.to}`).sort();
    assert.deepEqual(edgesAfter, graph.edges.map((e) => `${e.from} ${e.type} ${e.to}`).sort());
  } finally {
    await deleteIds(driver, ids);
  }
});

test('a bundle that fails inside its transaction leaves nothing behind', async () => {
  const [indicator, target] = [newId('indicator'), newId('attack-pattern')];
  const objects: StixObject[] = [
    { type: 'indicator', id: indicator, pattern: "[file:name = 'x']", pattern_type: 'stix' },
    {
      // Not validated on purpose: this name must never reach Cypher, and the nodes already written roll back.
      type: 'relationship',
      id: newId('relationship'),
      relationship_type: 'uses]->(x) DETACH DELETE x //',
      source_ref: indicator,
      target_ref: target,
    },
  ];
  await assert.rejects(load(objects), GraphNameError);
  const rows = await query(driver, 'MATCH (n:StixObject) WHERE n.id IN $ids RETURN n.id AS id', {
    ids: [indicator, target, objects[1]?.id],
  });
  assert.deepEqual(rows, []);
});

test('the shipped example attack models load and are stored as written', async () => {
  for (const path of [
    'stix/examples/hostpath-attack-model.json',
    'stix/examples/upstream-hostpath-attack-model.json',
  ]) {
    const parsed = parseBundleFile(readFileSync(path, 'utf8'), path);
    assert.equal(parsed.rejected, 0, path);
    for (const model of parsed.bundles) {
      const result = await loadBundle(driver, credentials, model);
      assert.equal(result.counts.olderIgnored, 0, path);
      const rows = await query(driver, 'MATCH (n:StixObject) WHERE n.id IN $ids RETURN n.stix_json AS json', {
        ids: model.objects.map((o) => o.id),
      });
      assert.deepEqual(
        rows
          .map((row) => JSON.parse(String(row.json)) as unknown)
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        [...model.objects].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      );
    }
  }
});
