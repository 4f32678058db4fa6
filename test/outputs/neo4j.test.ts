import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { DaemonMetrics } from '../../src/daemon/telemetry.js';
import { createDriver, readNeo4jCredentials } from '../../src/neo4j/index.js';
import { neo4jOutput, type Neo4jOutput } from '../../src/outputs/neo4j.js';
import { MetricsRegistry } from '../../src/server/index.js';
import { sightingStream } from '../neo4j/sighting-stream.js';
import { parseExposition, sampleValue } from '../server/exposition.js';

/** A port nothing listens on: bound, then closed, so a connection to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  await new Promise((resolve) => server.close(resolve));
  return address.port;
}

async function spillFileBytes(dir: string): Promise<number> {
  const names = (await readdir(dir)).filter((name) => /^neo4j-spill-\d+\.jsonl$/.test(name));
  const sizes = await Promise.all(names.map(async (name) => (await stat(join(dir, name))).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** The Neo4j series of one scrape, by counter name. */
function neo4jSeries(metrics: DaemonMetrics) {
  const samples = parseExposition(metrics.registry.render());
  const value = (name: string): number | undefined => sampleValue(samples, name);
  return {
    written: value('matcher_neo4j_updates_written_total'),
    drained: value('matcher_neo4j_updates_drained_total'),
    spilled: value('matcher_neo4j_updates_spilled_total'),
    rejected: value('matcher_neo4j_updates_rejected_total'),
    retries: value('matcher_neo4j_write_retries_total'),
    failedAttempts: value('matcher_neo4j_write_attempts_failed_total'),
    spillRecords: value('matcher_neo4j_spill_records'),
    spillBytes: value('matcher_neo4j_spill_bytes'),
    buffer: sampleValue(samples, 'matcher_output_buffer_depth', { output: 'neo4j' }),
  };
}

/** What the scrape should show: the output's own counters at that moment. */
function expectedSeries(output: Neo4jOutput) {
  const c = output.counters();
  return {
    written: c.written,
    drained: c.drained,
    spilled: c.spilled,
    rejected: c.failed,
    retries: c.retries,
    failedAttempts: c.failedAttempts,
    spillRecords: c.spillDepth,
    spillBytes: c.spillBytes,
    buffer: output.bufferDepth(),
  };
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('Neo4j unreachable: failed tries, retries, spilled updates and the spill file’s size reach /metrics', async () => {
  const stateDir = await mkdtemp(join(tmpdir(), 'matcher-neo4j-metrics-'));
  const credentials = readNeo4jCredentials({
    NEO4J_URI: `bolt://127.0.0.1:${await closedPort()}`,
    NEO4J_PASSWORD: 'unused',
  });
  assert.ok(credentials !== undefined);
  const driver = createDriver(credentials, { connectionTimeoutMs: 1000 });
  const stream = sightingStream({ events: 12, indicators: 2, eventsPerWrite: 4 });
  const [first = [], ...rest] = stream.batches;
  const options = {
    credentials,
    stateDir,
    logger: pino({ level: 'silent' }),
    batchSize: 1000,
    attempts: 3,
    initialRetryDelayMs: 20,
    maxRetryDelayMs: 40,
  };
  try {
    const output = await neo4jOutput(driver, options);
    const metrics = new DaemonMetrics(new MetricsRegistry());
    const instrumented = metrics.instrumentOutput(output);

    await instrumented.write(first);
    // Three tries, two retries between them, then the spill; the drain has not been tried yet.
    const afterFirst = neo4jSeries(metrics);
    assert.deepEqual(afterFirst, {
      written: 0,
      drained: 0,
      spilled: first.length,
      rejected: 0,
      retries: 2,
      failedAttempts: 3,
      spillRecords: first.length,
      spillBytes: await spillFileBytes(stateDir),
      buffer: first.length,
    });
    assert.ok(first.length > 0 && afterFirst.spillBytes > 0);

    // The drain loop keeps trying in the background; each failure is a failed try and a retry.
    await until(() => output.counters().failedAttempts >= 5, 'two failed drains');
    for (const batch of rest) await instrumented.write(batch);
    const total = stream.batches.flat().length;
    const later = neo4jSeries(metrics);
    assert.deepEqual(later, expectedSeries(output));
    assert.equal(later.spilled, total, 'with a spill pending, every later write goes straight to it');
    assert.equal(later.spillRecords, total);
    assert.equal(later.spillBytes, await spillFileBytes(stateDir));
    assert.equal(later.written, 0);
    assert.ok(later.failedAttempts >= 5 && later.retries === later.failedAttempts - 1);
    assert.equal(
      sampleValue(parseExposition(metrics.registry.render()), 'matcher_output_writes_total', {
        output: 'neo4j',
      }),
      total,
      'spilled writes are acknowledged',
    );
    await output.close();

    // The next run finds the spill and reports it before writing anything.
    const next = await neo4jOutput(driver, { ...options, initialRetryDelayMs: 60_000 });
    const nextMetrics = new DaemonMetrics(new MetricsRegistry());
    nextMetrics.instrumentOutput(next);
    const found = neo4jSeries(nextMetrics);
    assert.equal(found.spillRecords, total);
    assert.equal(found.spillBytes, await spillFileBytes(stateDir));
    assert.equal(found.spilled, 0, 'spilled by the earlier run, not by this one');
    await next.close();
  } finally {
    await driver.close();
    await rm(stateDir, { recursive: true, force: true });
  }
});
