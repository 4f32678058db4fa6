import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type GeneratedLine,
  generateBenignEvents,
  generateBenignLines,
} from '../fixtures/benign/generate.js';

const tetragonTypes = new Set(['process_exec', 'process_exit', 'process_kprobe']);
const auditStages = new Set(['RequestReceived', 'ResponseStarted', 'ResponseComplete']);

type Json = Record<string, unknown>;

function record(value: unknown, what: string): Json {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${what} is an object`);
  return value as Json;
}

/** A Tetragon JSON export line: one event-type key, node_name, time, and a process with its identity. */
function assertTetragon(event: Json): void {
  const keys = Object.keys(event);
  assert.equal(keys.length, 3, keys.join());
  const type = keys[0] ?? '';
  assert.ok(tetragonTypes.has(type), type);
  assert.equal(typeof event.node_name, 'string');
  assert.match(String(event.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  const body = record(event[type], type);
  for (const role of ['process', 'parent']) {
    const process = record(body[role], role);
    assert.ok(
      Buffer.from(String(process.exec_id), 'base64')
        .toString()
        .startsWith(`${String(event.node_name)}:`),
    );
    assert.equal(typeof process.pid, 'number');
    assert.match(String(process.binary), /^\//);
    assert.match(String(process.start_time), /Z$/);
  }
  if (type === 'process_kprobe') {
    assert.equal(typeof body.function_name, 'string');
    assert.equal(typeof body.policy_name, 'string');
  }
}

/** An audit.k8s.io/v1 Event as the log backend writes it. */
function assertAudit(event: Json): void {
  assert.equal(event.kind, 'Event');
  assert.equal(event.apiVersion, 'audit.k8s.io/v1');
  assert.match(
    String(event.auditID),
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.ok(auditStages.has(String(event.stage)));
  assert.equal(typeof event.verb, 'string');
  assert.match(String(event.requestURI), /^\//);
  assert.equal(typeof record(event.user, 'user').username, 'string');
  assert.match(String(event.requestReceivedTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.ok(String(event.stageTimestamp) >= String(event.requestReceivedTimestamp));
  if (event.stage !== 'RequestReceived')
    assert.equal(typeof record(event.responseStatus, 'status').code, 'number');
}

function parsed(line: GeneratedLine): Json {
  return record(JSON.parse(line.text), line.text.slice(0, 80));
}

test('gives exactly the lines asked for, of both sensors or of one', () => {
  assert.equal(generateBenignLines({ count: 0, seed: 1 }).length, 0);
  assert.equal(generateBenignLines({ count: 1234, seed: 1 }).length, 1234);
  const tetragon = generateBenignEvents({ count: 700, seed: 2, sensor: 'tetragon' });
  assert.equal(tetragon.length, 700);
  assert.ok(tetragon.every((line) => line.sensor === 'tetragon'));
  const audit = generateBenignEvents({ count: 300, seed: 2, sensor: 'k8s-audit' });
  assert.equal(audit.length, 300);
  assert.ok(audit.every((line) => line.sensor === 'k8s-audit'));
  assert.throws(() => generateBenignLines({ count: -1, seed: 1 }), RangeError);
});

test('is deterministic: the same seed gives the same lines, another seed other lines', () => {
  const a = generateBenignLines({ count: 2000, seed: 42 });
  assert.deepEqual(generateBenignLines({ count: 2000, seed: 42 }), a);
  assert.notDeepEqual(generateBenignLines({ count: 2000, seed: 43 }), a);
});

const sample = generateBenignEvents({ count: 15_000, seed: 7 });

test('every line is valid JSON of its sensor format, in time order', () => {
  let previous = -Infinity;
  for (const line of sample) {
    const event = parsed(line);
    if (line.sensor === 'tetragon') assertTetragon(event);
    else assertAudit(event);
    const key = line.time.ms + line.time.ns / 1e6;
    assert.ok(key >= previous, 'non-decreasing time');
    previous = key;
  }
});

test('15,000 lines hold more than 10,000 events that become observations, of many kinds', () => {
  const observable = sample.filter(
    (line) => line.sensor === 'tetragon' || line.text.includes('"stage":"ResponseComplete"'),
  );
  assert.ok(observable.length > 10_000, String(observable.length));
  const kinds = new Set(
    sample.map((line) => {
      const event = parsed(line);
      if (line.sensor === 'k8s-audit')
        return `${String(event.verb)} ${String(record(event.objectRef ?? {}, 'ref').resource)}`;
      const type = Object.keys(event)[0] ?? '';
      const functionName = record(event[type], type).function_name;
      return `${type} ${typeof functionName === 'string' ? functionName : ''}`;
    }),
  );
  assert.ok(kinds.size >= 15, [...kinds].join(', '));
});

test('never performs a step of the HostPath attack', () => {
  for (const line of sample) {
    const text = line.text;
    assert.doesNotMatch(text, /"(sport|dport)":22[,}]/, 'no ssh');
    assert.doesNotMatch(text, /hostPath/, 'no hostPath volume');
    assert.doesNotMatch(text, /"mountPath":"\/var\/log/, 'nothing mounted over /var/log');
    assert.doesNotMatch(text, /\/\.ssh\//, 'no ssh keys');
    assert.doesNotMatch(text, /"binary":"[^"]*\/(ln|kubectl|sshd)"/, 'no ln, kubectl or sshd');
    assert.doesNotMatch(text, /symlink/, 'no symlinks');
    assert.doesNotMatch(text, /selfsubject(rules|access)reviews/, 'no permission discovery');
    assert.doesNotMatch(text, /"subresource":"(log|exec)"/, 'no pod logs or exec');
  }
});
