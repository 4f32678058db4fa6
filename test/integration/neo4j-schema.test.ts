import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createDriver, ensureSchema, readNeo4jCredentials, verifyNeo4j } from '../../src/neo4j/index.js';
import { deleteIds, newId, query, testCredentials, testDriver, testEnv } from './neo4j-env.js';

const credentials = testCredentials();
const driver = testDriver(credentials);
after(() => driver.close());

test('the schema is created once and can be ensured again', async () => {
  await ensureSchema(driver, credentials);
  await ensureSchema(driver, credentials);
  const constraints = await query(
    driver,
    "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties WHERE name = 'stix_object_id' RETURN *",
  );
  assert.deepEqual(constraints, [
    { name: 'stix_object_id', type: 'UNIQUENESS', labelsOrTypes: ['StixObject'], properties: ['id'] },
  ]);
  const indexes = await query(
    driver,
    "SHOW INDEXES YIELD name, state WHERE name = 'stix_object_type' RETURN state",
  );
  assert.deepEqual(indexes, [{ state: 'ONLINE' }]);
});

test('two StixObject nodes cannot share an id', async () => {
  await ensureSchema(driver, credentials);
  const id = newId('indicator');
  try {
    await query(driver, 'CREATE (:StixObject:Indicator {id: $id})', { id });
    await assert.rejects(
      query(driver, 'CREATE (:StixObject:Indicator {id: $id})', { id }),
      (error: unknown) => {
        assert.equal((error as { code?: unknown }).code, 'Neo.ClientError.Schema.ConstraintValidationFailed');
        return true;
      },
    );
  } finally {
    await deleteIds(driver, [id]);
  }
});

test('credentials given as NEO4J_AUTH=user/password log in', async () => {
  const env = testEnv();
  const password = env.NEO4J_PASSWORD;
  assert.ok(password !== undefined, 'the test server gives NEO4J_PASSWORD');
  const fromAuth = readNeo4jCredentials({
    NEO4J_URI: env.NEO4J_URI,
    NEO4J_AUTH: `${env.NEO4J_USERNAME ?? 'neo4j'}/${password}`,
  });
  assert.ok(fromAuth);
  const authDriver = createDriver(fromAuth);
  try {
    const info = await verifyNeo4j(authDriver, fromAuth);
    assert.match(info.agent ?? '', /^Neo4j\//);
  } finally {
    await authDriver.close();
  }
});

test('a wrong password fails to log in, and the error does not carry the password', async () => {
  const env = testEnv();
  const wrongPassword = 'Wr0ng-pa55word-for-the-test';
  const wrong = readNeo4jCredentials({ NEO4J_URI: env.NEO4J_URI, NEO4J_AUTH: `neo4j/${wrongPassword}` });
  assert.ok(wrong);
  const wrongDriver = createDriver(wrong);
  try {
    await assert.rejects(verifyNeo4j(wrongDriver, wrong), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.doesNotMatch(`${error.message} ${error.stack ?? ''}`, /Wr0ng-pa55word/);
      return true;
    });
  } finally {
    await wrongDriver.close();
  }
});
