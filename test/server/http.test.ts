import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../src/log.js';
import { MetricsRegistry, startStatusServer } from '../../src/server/index.js';
import { PassThrough } from 'node:stream';
import { parseExposition, sampleValue } from './exposition.js';

test('healthz, readyz and metrics over a real socket', async () => {
  const registry = new MetricsRegistry();
  const counter = registry.counter('x_events_total', 'Events.', ['source']);
  let reasons: string[] = ['indicators not loaded'];
  const server = await startStatusServer({
    host: '127.0.0.1',
    port: 0,
    metrics: registry,
    notReady: () => reasons,
    logger: createLogger({ level: 'fatal', pretty: false, stream: new PassThrough() }),
  });
  try {
    const base = `http://127.0.0.1:${server.address.port}`;
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    const notReady = await fetch(`${base}/readyz`);
    assert.equal(notReady.status, 503);
    assert.match(await notReady.text(), /indicators not loaded/);
    reasons = [];
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    counter.inc({ source: 'tail' }, 4);
    const metrics = await fetch(`${base}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(sampleValue(parseExposition(await metrics.text()), 'x_events_total', { source: 'tail' }), 4);
    assert.equal((await fetch(`${base}/nothing`)).status, 404);
    assert.equal((await fetch(`${base}/metrics`, { method: 'POST' })).status, 405);
  } finally {
    await server.close();
  }
});

test('a port in use is refused at start', async () => {
  const logger = createLogger({ level: 'fatal', pretty: false, stream: new PassThrough() });
  const options = { host: '127.0.0.1', metrics: new MetricsRegistry(), notReady: () => [], logger };
  const first = await startStatusServer({ ...options, port: 0 });
  try {
    await assert.rejects(startStatusServer({ ...options, port: first.address.port }), /EADDRINUSE/);
  } finally {
    await first.close();
  }
});
