import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { z } from 'zod';
import type { Neo4jServer } from '../../scripts/neo4j.mjs';
import { createDriver, readNeo4jCredentials, verifyNeo4j } from '../../src/neo4j/index.js';
import { freePort, startRestartableNeo4j } from './neo4j-env.js';

async function portAccepts(port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

async function withServerDriver<T>(
  server: Neo4jServer,
  password: string,
  work: (
    run: (cypher: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>[]>,
  ) => Promise<T>,
): Promise<T> {
  const credentials = readNeo4jCredentials({ ...server.env, NEO4J_PASSWORD: password });
  assert.ok(credentials);
  const driver = createDriver(credentials);
  try {
    return await work(async (cypher, params = {}) =>
      (await driver.executeQuery(cypher, params)).records.map((r) => r.toObject()),
    );
  } finally {
    await driver.close();
  }
}

test('the launcher serves Bolt with authentication, stops, and starts again on the same data', async () => {
  const own = await startRestartableNeo4j();
  const token = randomUUID();
  const password = own.env.NEO4J_PASSWORD;
  const server = { env: own.env } as Neo4jServer;
  try {
    assert.equal(own.env.NEO4J_URI, `bolt://127.0.0.1:${own.port}`);
    assert.equal(own.env.NEO4J_USERNAME, 'neo4j');
    await withServerDriver(server, password, (run) =>
      run('CREATE (:LauncherProbe {token: $token})', { token }),
    );

    const wrong = readNeo4jCredentials({ ...own.env, NEO4J_PASSWORD: 'not-the-password' });
    assert.ok(wrong);
    const wrongDriver = createDriver(wrong);
    await assert.rejects(verifyNeo4j(wrongDriver, wrong), (error: unknown) => {
      assert.match(String((error as { code?: unknown }).code), /Unauthorized/);
      return true;
    });
    await wrongDriver.close();

    await own.stop();
    assert.equal(await portAccepts(own.port), false, 'Bolt is closed after stop()');

    await own.start();
    const rows = await withServerDriver(server, password, (run) =>
      run('MATCH (p:LauncherProbe {token: $token}) RETURN p.token AS token', { token }),
    );
    assert.deepEqual(rows, [{ token }]);
  } finally {
    await own.dispose();
  }
  assert.equal(existsSync(own.dataDir), false, 'dispose() removes the data');
});

const settingsLine = /^NEO4J_URI=(bolt:\/\/127\.0\.0\.1:(\d+)) NEO4J_USERNAME=neo4j NEO4J_PASSWORD=(\S+)$/;

test('npm run neo4j prints one line of settings once ready, and stops cleanly on SIGTERM', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'matcher-launcher-cli-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['scripts/neo4j.mjs', '--port', String(port), '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = once(child, 'exit');
  const lines: string[] = [];
  const firstLine = new Promise<string>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (lines.length === 1) resolve(line);
    });
  });
  try {
    const line = await Promise.race([firstLine, exited.then(() => assert.fail('the launcher exited early'))]);
    const match = settingsLine.exec(line);
    assert.ok(match, `unexpected line: ${line}`);
    assert.equal(match[2], String(port));
    const server = {
      env: { NEO4J_URI: match[1] ?? '', NEO4J_USERNAME: 'neo4j', NEO4J_PASSWORD: match[3] ?? '' },
    };
    const rows = await withServerDriver(server as Neo4jServer, match[3] ?? '', (run) =>
      run('RETURN 1 AS one'),
    );
    assert.deepEqual(rows, [{ one: 1 }]);
  } finally {
    child.kill('SIGTERM');
    const [code, signal] = z.tuple([z.number().nullable(), z.string().nullable()]).parse(await exited);
    assert.equal(signal, null);
    assert.equal(code, 0);
    await rm(dataDir, { recursive: true, force: true });
  }
  assert.equal(lines.length, 1, `stdout: ${lines.join('\n')}`);
  assert.equal(await portAccepts(port), false);
});
