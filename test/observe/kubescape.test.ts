import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StixObject } from '../../src/contracts.js';
import { createObserver, isSkip, KUBESCAPE_EXTENSION_ID } from '../../src/observe/index.js';
import { deref, fixtureLines, objectsOfType, observeText, subject } from './fixtures.js';

const upstream = fixtureLines('upstream/falco-kubescape-samples.jsonl');
const ours = fixtureLines('kubescape.jsonl');

function line(lines: string[], index: number): string {
  const text = lines[index];
  assert.ok(text !== undefined);
  return text;
}

function kubescape(object: StixObject): Record<string, unknown> {
  const found = (object.extensions as Record<string, Record<string, unknown>>)[KUBESCAPE_EXTENSION_ID];
  assert.ok(found !== undefined);
  return found;
}

test('the honeycluster ssh alert: rule, process, the accessed file, exact event timestamp', () => {
  const observation = observeText(line(upstream, 1));
  assert.equal(observation.sensor, 'kubescape');
  assert.equal(observation.observedData.first_observed, '2025-05-06T22:07:33.782648892Z');
  const process = subject(observation);
  assert.equal(process.pid, 3498391);
  assert.equal(process.command_line, '/usr/sbin/sshd -D -R');
  // Go's zero time means unknown: no created_time.
  assert.equal(process.created_time, undefined);
  assert.equal(deref(observation, process.image_ref).name, '[rosetta]');
  const alert = kubescape(process);
  assert.equal(alert.rule_id, 'R0002');
  assert.equal(alert.alert_name, 'Unexpected file access');
  assert.equal(alert.event_timestamp, '1746569253782648892');
  assert.deepEqual(alert.arguments, { flags: ['O_RDONLY'], path: '/etc/hosts.deny' });
  const file = objectsOfType(observation, 'file').find((object) => object.name === 'hosts.deny');
  assert.ok(file !== undefined);
  assert.equal(deref(observation, file.parent_directory_ref).path, '/etc');
  assert.equal(deref(observation, process.parent_ref).pid, 3498298);
  assert.deepEqual(observation.context, { namespace: 'ssh', pod: 'ssh-proxy', container: 'ssh-proxy' });
});

test('the alerting process is found in the process tree, with its parent from the tree', () => {
  const observation = observeText(line(ours, 0));
  const process = subject(observation);
  assert.equal(process.pid, 750);
  assert.equal(process.command_line, 'curl -sk https://10.96.0.1/api/v1/secrets');
  assert.equal(process.created_time, '2025-06-02T09:18:30Z');
  const parent = deref(observation, process.parent_ref);
  assert.equal(parent.pid, 519);
  assert.equal(parent.command_line, '/bin/bash');
  assert.equal(observation.context.node, 'honeycluster-worker-1');
});

test('an egress alert becomes a connection to the remote address', () => {
  const observation = observeText(line(ours, 1));
  const [traffic] = objectsOfType(observation, 'network-traffic');
  assert.ok(traffic !== undefined);
  assert.equal(deref(observation, traffic.dst_ref).value, '198.51.100.7');
  assert.equal(traffic.dst_port, 4444);
  assert.deepEqual(traffic.protocols, ['ipv4', 'tcp']);
});

test('without a timestamp string, the time comes exactly from event.timestamp', () => {
  const observation = observeText(line(ours, 2));
  assert.equal(observation.observedData.first_observed, '2025-06-02T09:14:30.987654321Z');
});

test("the node-agent's own log lines are irrelevant", () => {
  const observer = createObserver();
  for (const index of [3, 4]) {
    const result = observer.observe({ text: line(ours, index), origin: { source: 'test' } });
    assert.ok(isSkip(result));
    assert.equal(result.reason, 'irrelevant');
  }
});

test('an older alert with the process fields on RuntimeProcessDetails itself (no tree) still maps', () => {
  const alert = JSON.parse(line(ours, 1)) as Record<string, unknown>;
  const details = {
    pid: 733,
    comm: 'nc',
    ppid: 519,
    pcomm: 'bash',
    uid: 1000,
    cmdline: 'nc 198.51.100.7 4444',
    path: '/usr/bin/nc',
  };
  const observation = observeText(JSON.stringify({ ...alert, RuntimeProcessDetails: details }));
  const process = subject(observation);
  assert.equal(process.pid, 733);
  assert.equal(deref(observation, process.parent_ref).pid, 519);
  const noProcess = createObserver().observe({
    text: JSON.stringify({ ...alert, RuntimeProcessDetails: {} }),
    origin: { source: 'test' },
  });
  assert.ok(isSkip(noProcess) && noProcess.reason === 'invalid-event');
});
