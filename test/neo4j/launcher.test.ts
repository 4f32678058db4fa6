import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

/** Runs `npm run neo4j`'s script with only `dir` on PATH, so the `java` it finds is the one the test put there. */
function runLauncherWithPath(dir: string) {
  return spawnSync(process.execPath, ['scripts/neo4j.mjs', '--port', '1'], {
    env: { PATH: dir },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

test('without java on PATH the launcher says what to install, or to set NEO4J_URI', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'matcher-no-java-'));
  const result = runLauncherWithPath(empty);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /Neo4j needs Java 17 or newer, and `java` was not found on PATH/);
  assert.match(result.stderr, /set NEO4J_URI to an existing server/);
  assert.equal(result.stdout, '');
});

test('a java older than 17 is refused with the version it reported', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'matcher-old-java-'));
  const fake = join(dir, 'java');
  await writeFile(fake, '#!/bin/sh\necho \'openjdk version "11.0.20" 2023-07-18\' >&2\n');
  await chmod(fake, 0o755);
  const result = runLauncherWithPath(dir);
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    /Neo4j 5\.26 needs Java 17 or newer; `java -version` says: openjdk version "11\.0\.20"/,
  );
});

test('unknown options and bad ports are refused before anything starts', () => {
  for (const args of [['--bogus', 'x'], ['--port', 'seventy'], ['--port']]) {
    const result = spawnSync(process.execPath, ['scripts/neo4j.mjs', ...args], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 1, args.join(' '));
    assert.match(result.stderr, /Unknown option --bogus|--port needs/);
  }
});

test('without cached jars and without mvn, the launcher says to install Maven or set NEO4J_URI', async (t) => {
  const java = spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).stdout.trim();
  if (java === '') {
    t.skip('needs a java on PATH to get past the Java check');
    return;
  }
  const bin = await mkdtemp(join(tmpdir(), 'matcher-no-mvn-'));
  await symlink(java, join(bin, 'java'));
  const emptyCache = await mkdtemp(join(tmpdir(), 'matcher-empty-cache-'));
  const result = spawnSync(process.execPath, ['scripts/neo4j.mjs', '--port', '1'], {
    env: { PATH: bin, NEO4J_LAUNCHER_CACHE: emptyCache },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /First start: downloading the Neo4j jars with Maven/);
  assert.match(result.stderr, /`mvn` was not found on PATH\. Install Maven .*or set NEO4J_URI/);
});
