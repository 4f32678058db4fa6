import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDriver, readNeo4jCredentials, sessionConfig } from '../../src/neo4j/index.js';

function credentialsFor(uri: string, extra: Record<string, string> = {}) {
  const credentials = readNeo4jCredentials({ NEO4J_URI: uri, NEO4J_PASSWORD: 'p', ...extra });
  assert.ok(credentials);
  return credentials;
}

test('every accepted scheme makes a driver, TLS ones included (encryption comes from the URI only)', async () => {
  for (const scheme of ['bolt', 'neo4j', 'bolt+s', 'neo4j+s', 'bolt+ssc', 'neo4j+ssc']) {
    const driver = createDriver(credentialsFor(`${scheme}://db.example:7687`), { connectionTimeoutMs: 1000 });
    assert.equal(driver.isEncrypted(), scheme.includes('+'), scheme);
    await driver.close();
  }
});

test('sessions go to NEO4J_DATABASE when it is set, and to the server default otherwise', () => {
  assert.equal(sessionConfig(credentialsFor('bolt://db')).database, undefined);
  assert.equal(sessionConfig(credentialsFor('bolt://db', { NEO4J_DATABASE: 'threats' })).database, 'threats');
  assert.equal(sessionConfig(credentialsFor('bolt://db'), 'READ').defaultAccessMode, 'READ');
});
