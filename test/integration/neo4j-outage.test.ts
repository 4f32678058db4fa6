import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Driver } from 'neo4j-driver';
import { pino } from 'pino';
import { DaemonMetrics } from '../../src/daemon/telemetry.js';
import {
  createDriver,
  ensureSchema,
  readNeo4jCredentials,
  type Neo4jCredentials,
} from '../../src/neo4j/index.js';
import { neo4jOutput } from '../../src/outputs/neo4j.js';
import { MetricsRegistry } from '../../src/server/index.js';
import { parseExposition, sampleValue } from '../server/exposition.js';
import { assertGraphHoldsStream, sightingStream } from '../neo4j/sighting-stream.js';
import { startRestartableNeo4j, type RestartableNeo4j } from './neo4j-env.js';

let server: RestartableNeo4j;
let credentials: Neo4jCredentials;
let driver: Driver;
let stateDir: string;

before(async () => {
  server = await startRestartableNeo4j();
  const read = readNeo4jCredentials(server.env);
  assert.ok(read !== undefined);
  credentials = read;
  // A short connection timeout, so a write to the stopped server fails fast (ECONNREFUSED fails faster still).
  driver = createDriver(credentials, { connectionTimeoutMs: 2000 });
  await ensureSchema(driver, credentials);
  stateDir = await mkdtemp(join(tmpdir(), 'matcher-neo4j-outage-'));
});
after(async () => {
  await driver.close();
  await server.dispose();
  await rm(stateDir, { recursive: true, force: true });
});

test('Neo4j stopped mid-stream: writes resolve through the spill file, and once it is back every count is right', async () => {
  const stream = sightingStream({ events: 90, indicators: 3, eventsPerWrite: 5 });
  const batches = stream.batches;
  const third = Math.floor(batches.length / 3);
  const output = await neo4jOutput(driver, {
    credentials,
    stateDir,
    logger: pino({ level: 'silent' }),
    batchSize: 5,
    attempts: 2,
    initialRetryDelayMs: 50,
    maxRetryDelayMs: 1000,
  });
  const metrics = new DaemonMetrics(new MetricsRegistry());
  metrics.instrumentOutput(output);
  for (const batch of batches.slice(0, third)) await output.write(batch);
  assert.equal(output.counters().spilled, 0, 'written directly while Neo4j is up');

  await server.stop();
  for (const batch of batches.slice(third, 2 * third)) await output.write(batch);
  const during = output.counters();
  assert.equal(
    during.spilled,
    batches.slice(third, 2 * third).flat().length,
    'every update of the outage spilled',
  );
  assert.equal(output.bufferDepth(), during.spilled);
  assert.ok((await readdir(stateDir)).some((name) => name.startsWith('neo4j-spill-')));
  assert.ok(during.retries > 0);
  assert.ok(during.failedAttempts > during.retries, 'the last try of a write fails without a retry');
  assert.ok(during.spillBytes > 0);

  await server.start();
  for (const batch of batches.slice(2 * third)) await output.write(batch);
  await output.drained();
  await output.close();

  const final = output.counters();
  assert.equal(final.spillDepth, 0);
  assert.equal(final.failed, 0);
  assert.equal(final.written, batches.flat().length, 'each update written once, directly or from the spill');
  assert.equal(final.drained, final.spilled, 'every spilled update drained');
  assert.equal(final.spillBytes, 0);
  const scraped = parseExposition(metrics.registry.render());
  assert.equal(sampleValue(scraped, 'matcher_neo4j_updates_written_total'), final.written);
  assert.equal(sampleValue(scraped, 'matcher_neo4j_updates_drained_total'), final.spilled);
  assert.equal(sampleValue(scraped, 'matcher_neo4j_updates_spilled_total'), final.spilled);
  assert.equal(sampleValue(scraped, 'matcher_neo4j_write_attempts_failed_total'), final.failedAttempts);
  assert.equal(sampleValue(scraped, 'matcher_neo4j_write_retries_total'), final.retries);
  assert.equal(sampleValue(scraped, 'matcher_neo4j_spill_records'), 0);
  assert.equal(sampleValue(scraped, 'matcher_neo4j_spill_bytes'), 0);
  assert.deepEqual(
    (await readdir(stateDir)).filter((name) => name.startsWith('neo4j-spill-')),
    [],
    'drained segments are removed',
  );
  await assertGraphHoldsStream(driver, stream);
});
