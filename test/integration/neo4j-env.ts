/** Shared by the integration tests: the server scripts/run-tests.mjs started (or NEO4J_URI), and graph snapshots. */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Driver } from 'neo4j-driver';
import { z } from 'zod';
import { startNeo4j, type Neo4jServer } from '../../scripts/neo4j.mjs';
import type { StixObject } from '../../src/contracts.js';
import {
  createDriver,
  readNeo4jCredentials,
  sessionConfig,
  type Neo4jCredentials,
} from '../../src/neo4j/index.js';

/** The test server's environment; the runner sets it (or the user points NEO4J_URI at a server). */
export function testEnv(): Record<string, string> {
  const env = Object.fromEntries(
    ['NEO4J_URI', 'NEO4J_USERNAME', 'NEO4J_PASSWORD', 'NEO4J_AUTH', 'NEO4J_DATABASE'].flatMap((name) => {
      const value = process.env[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
  if (env.NEO4J_URI === undefined) {
    throw new Error(
      'NEO4J_URI is not set: run integration tests through scripts/run-tests.mjs, which starts Neo4j.',
    );
  }
  return env;
}

export function testCredentials(): Neo4jCredentials {
  const credentials = readNeo4jCredentials(testEnv());
  if (credentials === undefined) throw new Error('No Neo4j settings.');
  return credentials;
}

export function testDriver(credentials = testCredentials()): Driver {
  return createDriver(credentials, { userAgent: 'matcher-tests' });
}

export function newId(type: string): string {
  return `${type}--${randomUUID()}`;
}

export function bundleOf(objects: readonly StixObject[]): {
  type: 'bundle';
  id: string;
  objects: readonly StixObject[];
} {
  return { type: 'bundle', id: newId('bundle'), objects };
}

/** Writes JSON into a fresh temporary directory and returns the file's path. */
export async function writeJsonFile(name: string, value: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'matcher-neo4j-test-'));
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(value, null, 2));
  return path;
}

export async function query(
  driver: Driver,
  cypher: string,
  parameters: Record<string, unknown> = {},
): Promise<Record<string, unknown>[]> {
  const result = await driver.executeQuery(cypher, parameters, sessionConfig(testCredentials()));
  return result.records.map((record) => record.toObject());
}

const nodeRow = z.object({
  element: z.string(),
  id: z.string(),
  labels: z.array(z.string()),
  properties: z.record(z.string(), z.unknown()),
});
const edgeRow = z.object({
  element: z.string(),
  from: z.string(),
  type: z.string(),
  to: z.string(),
  properties: z.record(z.string(), z.unknown()),
});

/** Every node with one of the ids and every edge touching them, with element ids, in a stable order. */
export async function snapshot(driver: Driver, ids: readonly string[]) {
  const nodes = await query(
    driver,
    'MATCH (n:StixObject) WHERE n.id IN $ids RETURN elementId(n) AS element, n.id AS id, labels(n) AS labels, properties(n) AS properties ORDER BY id',
    { ids },
  );
  const edges = await query(
    driver,
    'MATCH (a:StixObject)-[r]->(b:StixObject) WHERE a.id IN $ids OR b.id IN $ids ' +
      'RETURN elementId(r) AS element, a.id AS from, type(r) AS type, b.id AS to, properties(r) AS properties ORDER BY element',
    { ids },
  );
  return {
    nodes: nodes.map((row) => {
      const node = nodeRow.parse(row);
      return { ...node, labels: [...node.labels].sort() };
    }),
    edges: edges.map((row) => edgeRow.parse(row)),
  };
}

export async function deleteIds(driver: Driver, ids: readonly string[]): Promise<void> {
  await query(driver, 'MATCH (n:StixObject) WHERE n.id IN $ids DETACH DELETE n', { ids });
}

/** A free TCP port on 127.0.0.1 (free when asked; another process could take it before it is used). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address !== 'object') throw new Error('No port.');
  return address.port;
}

/** A Neo4j of the test's own that it can stop and start again on the same port, password and data. */
export interface RestartableNeo4j {
  readonly env: Neo4jServer['env'];
  readonly port: number;
  readonly dataDir: string;
  /** Stops the server; its data stays. */
  stop(): Promise<void>;
  /** Starts it again after stop(). */
  start(): Promise<void>;
  /** Stops it if running and removes its data. */
  dispose(): Promise<void>;
}

export async function startRestartableNeo4j(): Promise<RestartableNeo4j> {
  const dataDir = await mkdtemp(join(tmpdir(), 'matcher-neo4j-own-'));
  const options = { dataDir, port: await freePort(), password: `pw-${randomUUID()}` };
  let server: Neo4jServer | undefined = await startNeo4j(options);
  const env = server.env;
  return {
    env,
    port: options.port,
    dataDir,
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async start() {
      server ??= await startNeo4j(options);
    },
    async dispose() {
      await server?.stop();
      server = undefined;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
