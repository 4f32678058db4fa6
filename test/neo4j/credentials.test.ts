import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { Neo4jCredentialsError, readNeo4jCredentials } from '../../src/neo4j/credentials.js';

const secret = 'S3cr3t/with-slash';

function readOrThrow(env: Record<string, string | undefined>) {
  const credentials = readNeo4jCredentials(env);
  assert.ok(credentials, 'expected credentials');
  return credentials;
}

function failure(env: Record<string, string | undefined>): Neo4jCredentialsError {
  try {
    readNeo4jCredentials(env);
  } catch (error) {
    assert.ok(error instanceof Neo4jCredentialsError, `unexpected ${String(error)}`);
    return error;
  }
  assert.fail('expected a Neo4jCredentialsError');
}

test('no Neo4j setting at all means Neo4j is not configured', () => {
  assert.equal(readNeo4jCredentials({}), undefined);
  assert.equal(readNeo4jCredentials({ NEO4J_URI: '', PATH: '/bin' }), undefined);
});

test('NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD', () => {
  const credentials = readOrThrow({
    NEO4J_URI: 'bolt://db.example:7687',
    NEO4J_USERNAME: 'matcher',
    NEO4J_PASSWORD: secret,
  });
  assert.equal(credentials.uri, 'bolt://db.example:7687');
  assert.equal(credentials.username, 'matcher');
  assert.equal(credentials.password, secret);
  assert.equal(credentials.database, undefined);
  assert.equal(credentials.encrypted, false);
});

test('NEO4J_AUTH=user/password splits at the first slash, as the Helm chart stores it', () => {
  const credentials = readOrThrow({ NEO4J_URI: 'neo4j://db:7687', NEO4J_AUTH: `admin/${secret}` });
  assert.equal(credentials.username, 'admin');
  assert.equal(credentials.password, secret);
});

test('NEO4J_USERNAME and NEO4J_PASSWORD win over NEO4J_AUTH; the user defaults to neo4j', () => {
  const both = readOrThrow({ NEO4J_URI: 'bolt://db', NEO4J_AUTH: 'a/b', NEO4J_PASSWORD: 'c' });
  assert.equal(both.username, 'a');
  assert.equal(both.password, 'c');
  const passwordOnly = readOrThrow({ NEO4J_URI: 'bolt://db', NEO4J_PASSWORD: 'c' });
  assert.equal(passwordOnly.username, 'neo4j');
});

test('TLS schemes are accepted and reported as encrypted', () => {
  for (const scheme of ['neo4j+s', 'neo4j+ssc', 'bolt+s', 'bolt+ssc']) {
    const credentials = readOrThrow({ NEO4J_URI: `${scheme}://db.example:7687`, NEO4J_PASSWORD: 'p' });
    assert.equal(credentials.encrypted, true, scheme);
  }
});

test('NEO4J_DATABASE is passed on when valid', () => {
  assert.equal(
    readOrThrow({ NEO4J_URI: 'bolt://db', NEO4J_PASSWORD: 'p', NEO4J_DATABASE: 'threats' }).database,
    'threats',
  );
  assert.match(
    failure({ NEO4J_URI: 'bolt://db', NEO4J_PASSWORD: 'p', NEO4J_DATABASE: 'a b' }).message,
    /NEO4J_DATABASE/,
  );
});

test('a missing URI or password is named', () => {
  assert.match(failure({ NEO4J_PASSWORD: secret }).message, /NEO4J_URI is not set/);
  assert.match(failure({ NEO4J_URI: 'bolt://db' }).message, /NEO4J_PASSWORD/);
});

test('a wrong scheme, a non-URI and a malformed NEO4J_AUTH are named without echoing secrets', () => {
  assert.match(
    failure({ NEO4J_URI: 'http://db:7474', NEO4J_PASSWORD: 'p' }).message,
    /NEO4J_URI has scheme 'http'/,
  );
  assert.match(failure({ NEO4J_URI: 'not a uri', NEO4J_PASSWORD: 'p' }).message, /NEO4J_URI is not a URI/);
  const auth = failure({ NEO4J_URI: 'bolt://db', NEO4J_AUTH: 'justasecretword' });
  assert.match(auth.message, /NEO4J_AUTH must be user\/password/);
  assert.doesNotMatch(auth.message, /justasecretword/);
});

test('credentials inside the URI are refused and never repeated', () => {
  const error = failure({ NEO4J_URI: `bolt://neo4j:hunter2@db:7687`, NEO4J_PASSWORD: 'p' });
  assert.match(error.message, /contains credentials/);
  assert.doesNotMatch(error.message, /hunter2/);
  const bad = failure({ NEO4J_URI: 'ftp://neo4j:hunter2@db', NEO4J_PASSWORD: 'p' });
  assert.doesNotMatch(bad.message, /hunter2/);
});

test('the password never shows in strings, JSON or inspection', () => {
  const credentials = readOrThrow({ NEO4J_URI: 'bolt://db:7687', NEO4J_AUTH: `neo4j/${secret}` });
  for (const shown of [
    String(credentials),
    JSON.stringify(credentials),
    JSON.stringify({ nested: { credentials } }),
    inspect(credentials, { depth: 5, showHidden: true }),
    inspect({ credentials }),
  ]) {
    assert.doesNotMatch(shown, /S3cr3t/, shown);
  }
  assert.match(JSON.stringify(credentials), /"password":"\[redacted\]"/);
  assert.match(String(credentials), /bolt:\/\/db:7687 as neo4j/);
});
