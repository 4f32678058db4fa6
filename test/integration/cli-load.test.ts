import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { StixObject } from '../../src/contracts.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../helpers/io.js';
import { bundleOf, deleteIds, newId, query, testDriver, testEnv, writeJsonFile } from './neo4j-env.js';

const driver = testDriver();
after(() => driver.close());

function indicator(id = newId('indicator')): StixObject {
  return {
    type: 'indicator',
    id,
    pattern: "[process:name = 'sh']",
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
  };
}

async function storedIds(ids: readonly string[]): Promise<string[]> {
  const rows = await query(
    driver,
    'MATCH (n:StixObject) WHERE n.id IN $ids AND n.stix_json IS NOT NULL RETURN n.id AS id',
    { ids },
  );
  return rows.map((row) => String(row.id)).sort();
}

test('matcher load writes a file of bundles; a bundle with a malformed object is rejected whole', async () => {
  const good = [indicator(), indicator()];
  const [source, target] = [newId('intrusion-set'), newId('attack-pattern')];
  const bad: StixObject[] = [
    { type: 'intrusion-set', id: source, name: 'valid but in a bad bundle' },
    { type: 'attack-pattern', id: target, name: 'valid too' },
    {
      type: 'relationship',
      id: newId('relationship'),
      relationship_type: 'uses',
      source_ref: source,
      target_ref: 42,
    },
  ];
  const file = await writeJsonFile('list.json', [bundleOf(good), bundleOf(bad)]);
  const ids = [...good, ...bad].map((o) => o.id);
  try {
    const io = memoryIO('', testEnv());
    assert.equal(await main(['load', file], io), 1);
    assert.match(
      io.err(),
      new RegExp(
        `${file.replaceAll('.', '\\.')}: \\$\\[1\\]\\.objects\\[2\\]\\.target_ref \\(object 2, relationship--`,
      ),
    );
    assert.match(io.err(), /1 bundle\(s\) rejected/);
    assert.match(io.err(), /hint \[invalid-object\]: Fix the property at the path shown/);
    assert.match(io.out(), /2 objects: 2 created/);
    assert.deepEqual(await storedIds(ids), good.map((o) => o.id).sort());
  } finally {
    await deleteIds(driver, ids);
  }
});

test('matcher load twice: the second run reports everything unchanged', async () => {
  const objects = [indicator(), indicator()];
  const file = await writeJsonFile('bundle.json', bundleOf(objects));
  try {
    const first = memoryIO('', testEnv());
    assert.equal(await main(['load', file], first), 0, first.err());
    assert.match(first.out(), /2 objects: 2 created, 0 updated, 0 unchanged/);
    const second = memoryIO('', testEnv());
    assert.equal(await main(['load', file], second), 0, second.err());
    assert.match(
      second.out(),
      /2 objects: 0 created, 0 updated, 2 unchanged, 0 older ignored; 0 placeholders, 0 edges/,
    );
  } finally {
    await deleteIds(
      driver,
      objects.map((o) => o.id),
    );
  }
});

test('matcher load logs in with NEO4J_AUTH, and warns about ids that are not UUIDs', async () => {
  const env = testEnv();
  const odd = indicator('indicator--not-a-uuid-but-accepted');
  const file = await writeJsonFile('auth.json', bundleOf([odd]));
  try {
    const io = memoryIO('', {
      NEO4J_URI: env.NEO4J_URI,
      NEO4J_AUTH: `${env.NEO4J_USERNAME ?? 'neo4j'}/${env.NEO4J_PASSWORD ?? ''}`,
    });
    assert.equal(await main(['load', file], io), 0, io.err());
    assert.match(
      io.err(),
      /\$\.objects\[0\]\.id \(object 0, indicator--not-a-uuid-but-accepted\): warning \[non-uuid-id\]/,
    );
    assert.deepEqual(await storedIds([odd.id]), [odd.id]);
  } finally {
    await deleteIds(driver, [odd.id]);
  }
});

test('matcher load fails clearly without settings, with a wrong password, or an unreadable file', async () => {
  const file = await writeJsonFile('x.json', bundleOf([]));
  const none = memoryIO('', {});
  assert.equal(await main(['load', file], none), 2);
  assert.match(none.err(), /NEO4J_URI is not set/);

  const wrong = memoryIO('', { NEO4J_URI: testEnv().NEO4J_URI, NEO4J_PASSWORD: 'Wr0ng-secret-value' });
  const objectFile = await writeJsonFile('y.json', bundleOf([indicator()]));
  assert.equal(await main(['load', objectFile], wrong), 1);
  assert.match(wrong.err(), /matcher load: Neo4j at bolt:\/\/\S+ as neo4j: /);
  assert.doesNotMatch(wrong.err(), /Wr0ng-secret-value/);

  const missing = memoryIO('', testEnv());
  assert.equal(await main(['load', '/nonexistent/bundle.json'], missing), 1);
  assert.match(missing.err(), /\/nonexistent\/bundle\.json: \$: error \[invalid-json\]: ENOENT/);

  const usage = memoryIO('', testEnv());
  assert.equal(await main(['load'], usage), 2);
  assert.match(usage.err(), /name at least one bundle file/);
});
