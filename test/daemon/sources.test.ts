import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { FakeKubeApi } from '../helpers/fake-kube-api.js';
import { parseExposition, sampleValue } from '../server/exposition.js';
import { recordingLines, sightingsOf, startTestDaemon, tempDir } from './harness.js';

const common = ['--no-http', '--flush-interval-ms', '20'];

test('the pod-log source from settings: a Tetragon pod appearing later is read, its events sighted', async () => {
  const api = await FakeKubeApi.start();
  const dir = await tempDir();
  const running = await startTestDaemon(
    [
      ...common,
      ...['--state-dir', join(dir, 'state'), '--kube-label-selector', 'app.kubernetes.io/name=tetragon'],
      ...['--kube-namespace', 'kube-system', '--kube-container', 'export-stdout'],
    ],
    {},
    { kubeConfig: api.kubeConfig() },
  );
  try {
    const labels = { 'app.kubernetes.io/name': 'tetragon' };
    const containers = ['tetragon', 'export-stdout'];
    api.addPod({ name: 'tetragon-x', namespace: 'kube-system', labels, containers });
    api.addPod({ name: 'tetragon-y', namespace: 'default', labels, containers });
    const text = (await recordingLines('tetragon.log', 430, 450)).trimEnd().split('\n');
    api.appendLog({ namespace: 'kube-system', pod: 'tetragon-x', container: 'export-stdout' }, ...text);
    // The same events in another namespace and another container must not be read.
    api.appendLog({ namespace: 'default', pod: 'tetragon-y', container: 'export-stdout' }, ...text);
    api.appendLog({ namespace: 'kube-system', pod: 'tetragon-x', container: 'tetragon' }, ...text);
    const lines = await running.until(
      (l) =>
        sightingsOf(l, 'indicator--2cee2e1a-95cd-489f-9d0b-96cb5a056c28').length > 0 &&
        sightingsOf(l, 'indicator--dd3a9f0d-591e-4bb2-90b5-6fca28c3fcc9').length > 0,
      'sightings of the SSH connection and the login shell',
    );
    const sightings = lines.filter((l) => l.kind === 'sighting');
    assert.equal(sightings.length, 2);
    assert.ok(sightings.every((l) => l.count === 1));
    // Only the selected container of the selected namespace is followed.
    assert.equal(
      api.logRequests({ namespace: 'default', pod: 'tetragon-y', container: 'export-stdout' }).length,
      0,
    );
    assert.equal(
      api.logRequests({ namespace: 'kube-system', pod: 'tetragon-x', container: 'tetragon' }).length,
      0,
    );
    const samples = parseExposition(running.daemon.metrics.registry.render());
    assert.equal(sampleValue(samples, 'matcher_source_lines_read_total', { source: 'kube-logs' }), 21);
  } finally {
    assert.equal(await running.daemon.stop('test'), 0);
    await api.close();
  }
});

test('the audit webhook from settings: a POSTed EventList becomes sightings on stdout', async () => {
  const dir = await tempDir();
  const running = await startTestDaemon([
    ...common,
    ...['--state-dir', join(dir, 'state'), '--audit-webhook-port', '0', '--audit-webhook-host', '127.0.0.1'],
  ]);
  try {
    const listening = running.lines().find((l) => l.code === 'AUDIT_WEBHOOK_LISTENING');
    assert.ok(listening !== undefined, 'the webhook logs where it listens');
    const items = (await recordingLines('audit.log', 1, 681))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    const body = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
    const response = await fetch(`http://127.0.0.1:${String(listening.port)}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    assert.equal(response.status, 200);
    await running.until(
      (l) => sightingsOf(l, 'indicator--4839f422-b4e7-4c40-b461-b4d8552626b6').length === 1,
      'the permission discovery sighting',
    );
  } finally {
    assert.equal(await running.daemon.stop('test'), 0);
  }
});
