import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Observation, StixObject } from '../../src/contracts.js';
import {
  createObserver,
  isSkip,
  KUBERNETES_EXTENSION_ID,
  TETRAGON_EXTENSION_ID,
} from '../../src/observe/index.js';
import { deref, fixtureLines, objectsOfType, observeText, subject } from './fixtures.js';

const upstream = fixtureLines('upstream/tetragon-docs-samples.jsonl');
const ours = fixtureLines('tetragon.jsonl');

function line(lines: string[], index: number): string {
  const text = lines[index];
  assert.ok(text !== undefined, `fixture line ${index + 1}`);
  return text;
}

function extension(object: StixObject, id: string): Record<string, unknown> {
  const extensions = object.extensions as Record<string, Record<string, unknown>> | undefined;
  const found = extensions?.[id];
  assert.ok(found !== undefined, `${object.id} has extension ${id}`);
  return found;
}

/** The path of a file object: its directory's path joined with its name. */
function pathOf(observation: Observation, file: StixObject): string {
  const directory = deref(observation, file.parent_directory_ref);
  return `${String(directory.path)}/${String(file.name)}`.replace('//', '/');
}

test('process_exec: process, image, parent, user, times as issue 3 fixes them', () => {
  const observation = observeText(line(upstream, 0));
  const data = observation.observedData;
  assert.equal(data.first_observed, '2023-10-06T22:03:57.700326678Z');
  assert.equal(data.last_observed, data.first_observed);
  assert.equal(data.number_observed, 1);
  assert.equal(observation.time, Date.parse('2023-10-06T22:03:57.700Z') + 0.326678);
  const process = subject(observation);
  assert.equal(process.type, 'process');
  assert.equal(process.pid, 52699);
  assert.equal(process.cwd, '/');
  assert.equal(process.created_time, '2023-10-06T22:03:57.700327580Z');
  assert.equal(process.command_line, '/usr/bin/curl https://ebpf.io/applications/#tetragon');
  const image = deref(observation, process.image_ref);
  assert.equal(image.name, 'curl');
  assert.equal(deref(observation, image.parent_directory_ref).path, '/usr/bin');
  assert.equal(deref(observation, process.creator_user_ref).user_id, '0');
  const parent = deref(observation, process.parent_ref);
  assert.equal(parent.command_line, '/bin/bash -c "curl https://ebpf.io/applications/#tetragon"');
  assert.equal(deref(observation, parent.image_ref).name, 'bash');
  // Every object is listed in object_refs, the parent and its image included.
  assert.deepEqual(new Set(data.object_refs as string[]), new Set(observation.objects.keys()));
  assert.deepEqual(observation.context, {
    node: 'gke-john-632-default-pool-7041cac0-9s95',
    namespace: 'default',
    pod: 'xwing',
    container: 'spaceship',
  });
  const kubernetes = extension(process, KUBERNETES_EXTENSION_ID);
  assert.equal(kubernetes.image_name, 'docker.io/tgraf/netperf:latest');
  assert.equal(kubernetes.workload_name, 'xwing');
  assert.deepEqual(kubernetes.pod_labels, {
    'app.kubernetes.io/name': 'xwing',
    class: 'xwing',
    org: 'alliance',
  });
  const tetragon = extension(process, TETRAGON_EXTENSION_ID);
  assert.equal(tetragon.event_type, 'process_exec');
  assert.equal(
    tetragon.exec_id,
    'Z2tlLWpvaG4tNjMyLWRlZmF1bHQtcG9vbC03MDQxY2FjMC05czk1OjEzNTQ4Njc0MzIxMzczOjUyNjk5',
  );
  assert.equal(tetragon.flags, 'execve rootcwd');
});

test('command_line is the binary alone when there are no arguments', () => {
  const observation = observeText(line(ours, 1));
  assert.equal(subject(observation).command_line, '/bin/bash');
  assert.equal(deref(observation, subject(observation).creator_user_ref).user_id, '1000');
});

test('process_kprobe: a file argument becomes file + directory; policy and function in the extension', () => {
  const observation = observeText(line(upstream, 1));
  const paths = objectsOfType(observation, 'file').map((file) => pathOf(observation, file));
  assert.ok(paths.includes('/etc/passwd'), paths.join());
  const tetragon = extension(subject(observation), TETRAGON_EXTENSION_ID);
  assert.equal(tetragon.function_name, 'security_file_permission');
  assert.equal(tetragon.policy_name, 'file-monitoring');
  assert.deepEqual(tetragon.args, [
    { file_arg: { path: '/etc/passwd', permission: '-rw-r--r--' } },
    { int_arg: 2 },
  ]);
  assert.equal(subject(observation).command_line, '/bin/vi /etc/passwd');
  // The parent has no arguments: its command line is the binary.
  assert.equal(deref(observation, subject(observation).parent_ref).command_line, '/bin/sh');
});

test('process_exit keeps status and signal in the extension', () => {
  const observation = observeText(line(ours, 8));
  const tetragon = extension(subject(observation), TETRAGON_EXTENSION_ID);
  assert.equal(tetragon.event_type, 'process_exit');
  assert.equal(tetragon.signal, 'SIGKILL');
});

test('an accepted connection has the remote peer as src, and ssh for port 22', () => {
  const observation = observeText(line(ours, 0));
  const [traffic] = objectsOfType(observation, 'network-traffic');
  assert.ok(traffic !== undefined);
  assert.equal(deref(observation, traffic.src_ref).value, '203.0.113.50');
  assert.equal(deref(observation, traffic.dst_ref).value, '10.244.1.17');
  assert.equal(traffic.src_port, 51844);
  assert.equal(traffic.dst_port, 22);
  assert.deepEqual(traffic.protocols, ['ipv4', 'tcp', 'ssh']);
});

test('an outbound connection has the local side as src', () => {
  const observation = observeText(line(ours, 2));
  const [traffic] = objectsOfType(observation, 'network-traffic');
  assert.ok(traffic !== undefined);
  assert.equal(deref(observation, traffic.src_ref).value, '10.244.1.17');
  assert.equal(deref(observation, traffic.dst_ref).value, '10.96.0.1');
  assert.deepEqual(traffic.protocols, ['ipv4', 'tcp', 'https']);
});

test('a server socket seen by a non-accept hook is inbound too (IPv6)', () => {
  const observation = observeText(line(ours, 10));
  const [traffic] = objectsOfType(observation, 'network-traffic');
  assert.ok(traffic !== undefined);
  const src = deref(observation, traffic.src_ref);
  assert.equal(src.type, 'ipv6-addr');
  assert.equal(src.value, '2001:db8::50');
  assert.deepEqual(traffic.protocols, ['ipv6', 'tcp', 'ssh']);
});

test('symlink: the directory argument and absolute string arguments become files', () => {
  const observation = observeText(line(ours, 3));
  const paths = objectsOfType(observation, 'file').map((file) => pathOf(observation, file));
  assert.ok(paths.includes('/root/.ssh/id_rsa'), paths.join());
  assert.ok(paths.includes('/var/log/pods/honey_logger/app/0.log'), paths.join());
  const directories = objectsOfType(observation, 'directory').map((directory) => directory.path);
  assert.ok(directories.includes('/var/log/pods/honey_logger'), directories.join());
});

test('64-bit arguments beyond 2^53 are kept exact as decimal strings', () => {
  const observation = observeText(line(ours, 4));
  const tetragon = extension(subject(observation), TETRAGON_EXTENSION_ID);
  assert.deepEqual(tetragon.args, [
    { int_arg: 3 },
    { long_arg: '-9223372036854775807' },
    { size_arg: '18446744073709551615' },
  ]);
  assert.deepEqual(tetragon.return, { long_arg: '9007199254740993' });
});

test('tracepoint, uprobe and lsm events map with their own fields', () => {
  const tracepoint = observeText(line(ours, 5));
  assert.equal(extension(subject(tracepoint), TETRAGON_EXTENSION_ID).event, 'sys_enter_unlinkat');
  const files = objectsOfType(tracepoint, 'file').map((file) => pathOf(tracepoint, file));
  assert.ok(files.includes('/home/admin/.bash_history'));
  const uprobe = observeText(line(ours, 6));
  assert.equal(extension(subject(uprobe), TETRAGON_EXTENSION_ID).symbol, 'readline');
  const lsm = observeText(line(ours, 7));
  assert.equal(extension(subject(lsm), TETRAGON_EXTENSION_ID).event_type, 'process_lsm');
  assert.ok(objectsOfType(lsm, 'file').some((file) => pathOf(lsm, file) === '/usr/local/bin/kubectl'));
});

test('envelopes: the Vector envelope and both Redpanda payload forms give the same observation as the raw line', () => {
  const raw = (index: number) => observeText(line(ours, index));
  const redpandaObject = observeText(line(ours, 11));
  const redpandaString = observeText(line(ours, 12));
  const vector = observeText(line(ours, 13));
  assert.deepEqual(redpandaObject.observedData, raw(1).observedData);
  assert.deepEqual(redpandaString.observedData, raw(3).observedData);
  assert.deepEqual(vector.observedData, raw(2).observedData);
  assert.deepEqual([...vector.objects.values()], [...raw(2).objects.values()]);
});

test('the upstream Vector envelope line maps, with the node from the envelope', () => {
  const observation = observeText(line(upstream, 3));
  assert.equal(observation.context.node, 'gke-k8s-caas-0008-beta-user-pool-40badfb2-d52w');
  assert.equal(subject(observation).command_line, '/usr/bin/nsenter -t 1 -a /bin/bash');
  assert.equal(extension(subject(observation), TETRAGON_EXTENSION_ID).policy_name, 'detect-ce-nsenter');
});

test('process_loader is recognised and skipped as unsupported; an event without time is invalid', () => {
  const observer = createObserver();
  const loader = observer.observe({ text: line(ours, 9), origin: { source: 'test' } });
  assert.ok(isSkip(loader));
  assert.equal(loader.reason, 'unsupported-event');
  const example = JSON.stringify(
    JSON.parse(fixtureLines('upstream/tetragon-kprobe-example.json').join('\n')),
  );
  const untimed = observer.observe({ text: example, origin: { source: 'test' } });
  assert.ok(isSkip(untimed));
  assert.equal(untimed.reason, 'invalid-event');
  assert.match(untimed.detail, /time/);
  const timed = observeText(example.replace('{', '{"time":"2024-05-30T15:40:00.000000001Z",'));
  assert.ok(objectsOfType(timed, 'file').some((file) => file.name === 'token'));
  assert.equal(timed.context.namespace, 'cattle-system');
});

test('the event process refers to the connections and files of its event, so one expression on process reaches them', () => {
  const accept = observeText(line(ours, 0));
  const [traffic] = objectsOfType(accept, 'network-traffic');
  assert.ok(traffic !== undefined);
  assert.deepEqual(subject(accept).opened_connection_refs, [traffic.id]);
  const symlink = observeText(line(ours, 3));
  const fileRefs = extension(subject(symlink), TETRAGON_EXTENSION_ID).file_refs;
  assert.ok(Array.isArray(fileRefs));
  const names = fileRefs.map((ref) => deref(symlink, ref).name);
  assert.deepEqual(names, ['app', 'id_rsa', '0.log']);
  // The parent is about no event: it refers to none.
  const parent = deref(symlink, subject(symlink).parent_ref);
  assert.equal(extension(parent, TETRAGON_EXTENSION_ID).file_refs, undefined);
});

test('ancestors (--enable-ancestors) become a parent_ref chain above the parent', () => {
  const exec = JSON.parse(line(ours, 1)) as { process_exec: Record<string, unknown> };
  const sshd = JSON.parse(line(ours, 0)) as { process_kprobe: { process: Record<string, unknown> } };
  const grandparent = exec.process_exec.parent as Record<string, unknown>;
  // bash ← sshd (session) ← sshd (listener): the listener is the ancestor beyond the grandparent.
  const withAncestors = {
    ...exec,
    process_exec: { ...exec.process_exec, parent: grandparent, ancestors: [sshd.process_kprobe.process] },
  };
  const observation = observeText(JSON.stringify(withAncestors));
  const parent = deref(observation, subject(observation).parent_ref);
  const ancestor = deref(observation, parent.parent_ref);
  assert.equal(ancestor.pid, 421);
  assert.equal(deref(observation, ancestor.image_ref).name, 'sshd');
  assert.equal(ancestor.parent_ref, undefined);
  // Without ancestors the same parent has no parent_ref, and the same id.
  const plain = observeText(line(ours, 1));
  const plainParent = deref(plain, subject(plain).parent_ref);
  assert.equal(plainParent.parent_ref, undefined);
  assert.equal(plainParent.id, parent.id);
});
