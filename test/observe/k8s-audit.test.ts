import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createObserver, isSkip, KUBERNETES_API_REQUEST_EXTENSION_ID } from '../../src/observe/index.js';
import { kubernetesObjectType } from '../../src/observe/k8s-audit.js';
import { deref, fixtureLines, observeFixture, observeText, subject } from './fixtures.js';

const lines = fixtureLines('k8s-audit.jsonl');

function line(index: number): string {
  const text = lines[index];
  assert.ok(text !== undefined);
  return text;
}

test('a hostPath PersistentVolume creation becomes kubernetes-api-request → kubernetes-persistent-volume', () => {
  const observation = observeText(line(1));
  const request = subject(observation);
  assert.equal(request.type, 'kubernetes-api-request');
  assert.equal(request.verb, 'create');
  assert.equal(
    request.request_uri,
    '/api/v1/persistentvolumes?fieldManager=kubectl-client-side-apply&fieldValidation=Strict',
  );
  assert.equal(request.resource, 'persistentvolumes');
  assert.equal(request.name, 'logs-pv');
  assert.equal(request.api_version, 'v1');
  assert.equal(request.response_code, 201);
  assert.equal(request.user_agent, 'kubectl/v1.30.2 (linux/amd64) kubernetes/3968350');
  assert.equal(request.audit_id, '4e5d1a27-0f60-4a65-9c0e-5d8f2f6c0a01');
  assert.deepEqual(request.source_ips, ['10.244.1.17']);
  assert.deepEqual(request.extensions, {
    [KUBERNETES_API_REQUEST_EXTENSION_ID]: { extension_type: 'new-sco' },
  });
  const user = deref(observation, request.user_ref);
  assert.equal(user.user_id, 'system:serviceaccount:ssh:default');
  assert.equal(user.account_type, 'kubernetes');
  const volume = deref(observation, request.object_ref);
  assert.equal(volume.type, 'kubernetes-persistent-volume');
  // The object's own fields, unchanged (the request object, not the response).
  assert.equal(volume.apiVersion, 'v1');
  assert.equal(volume.kind, 'PersistentVolume');
  assert.deepEqual((volume.spec as { hostPath: unknown }).hostPath, { path: '/var/log', type: '' });
  assert.equal((volume.metadata as { uid?: string }).uid, undefined);
  assert.equal(observation.observedData.first_observed, '2025-06-02T09:15:11.019877Z');
});

test('claims, pods and cluster role bindings get kebab-case kinds; the pod keeps its volumes', () => {
  assert.equal(
    deref(observeText(line(3)), subject(observeText(line(3))).object_ref).type,
    'kubernetes-persistent-volume-claim',
  );
  const pod = observeText(line(4));
  const object = deref(pod, subject(pod).object_ref);
  assert.equal(object.type, 'kubernetes-pod');
  const volumes = (object.spec as { volumes: { hostPath?: { path: string } }[] }).volumes;
  assert.equal(volumes[1]?.hostPath?.path, '/var/log');
  assert.deepEqual(pod.context, { namespace: 'ssh', pod: 'logger' });
  const binding = observeText(line(6));
  const bindingObject = deref(binding, subject(binding).object_ref);
  assert.equal(bindingObject.type, 'kubernetes-cluster-role-binding');
  assert.deepEqual(bindingObject.roleRef, {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name: 'cluster-admin',
  });
  assert.equal(subject(binding).api_group, 'rbac.authorization.k8s.io');
});

test('kubectl logs: the log subresource, with no object', () => {
  const observation = observeText(line(5));
  const request = subject(observation);
  assert.equal(request.verb, 'get');
  assert.equal(request.subresource, 'log');
  assert.equal(request.object_ref, undefined);
});

test('a Secret keeps its own type field as k8s_type', () => {
  const observation = observeText(line(7));
  const secret = deref(observation, subject(observation).object_ref);
  assert.equal(secret.type, 'kubernetes-secret');
  assert.equal(secret.k8s_type, 'Opaque');
});

test('a patch without kind in requestObject points at the responseObject', () => {
  const observation = observeText(line(8));
  const pod = deref(observation, subject(observation).object_ref);
  assert.equal(pod.type, 'kubernetes-pod');
  assert.equal((pod.metadata as { uid: string }).uid, '5f0d9a8e-2b1c-4d3e-8f7a-6b5c4d3e2f10');
});

test('only ResponseComplete counts, and a repeated auditID is a duplicate', () => {
  const observer = createObserver();
  const results = observeFixture('k8s-audit.jsonl', observer);
  const skips = results.filter(isSkip).map((skip) => skip.reason);
  assert.deepEqual(skips, ['irrelevant', 'duplicate']);
  assert.equal(observer.counters().observed['k8s-audit'], results.length - 2);
  assert.equal(observer.counters().skipped.duplicate, 1);
});

test('an EventList gives one observation per item through observeAll, and a skip through observe', () => {
  const list = line(10);
  const all = createObserver().observeAll({ text: list, origin: { source: 'test' } });
  assert.equal(all.length, 2);
  assert.deepEqual(
    all.map((result) => (isSkip(result) ? result.reason : subject(result).verb)),
    ['get', 'delete'],
  );
  const one = createObserver().observe({ text: list, origin: { source: 'test' } });
  assert.ok(isSkip(one));
  assert.equal(one.reason, 'unsupported-event');
});

test('the deduplicator forgets the oldest audit ids beyond its capacity', () => {
  const observer = createObserver({ auditDedupCapacity: 2 });
  const event = (id: string) => JSON.stringify({ ...(JSON.parse(line(1)) as object), auditID: id });
  const reasons = ['a', 'b', 'a', 'c', 'a'].map((id) => {
    const result = observer.observe({ text: event(id), origin: { source: 'test' } });
    return isSkip(result) ? result.reason : 'observed';
  });
  // a, b seen; a repeated; c evicts a; a is new again.
  assert.deepEqual(reasons, ['observed', 'observed', 'duplicate', 'observed', 'observed']);
});

test('kinds become kebab case, acronyms included; odd kinds are refused', () => {
  assert.equal(kubernetesObjectType('Pod'), 'kubernetes-pod');
  assert.equal(kubernetesObjectType('PersistentVolumeClaim'), 'kubernetes-persistent-volume-claim');
  assert.equal(kubernetesObjectType('ClusterRoleBinding'), 'kubernetes-cluster-role-binding');
  assert.equal(kubernetesObjectType('CSIDriver'), 'kubernetes-csi-driver');
  assert.equal(kubernetesObjectType('APIService'), 'kubernetes-api-service');
  assert.equal(kubernetesObjectType('x--y'), undefined);
  assert.equal(kubernetesObjectType(42), undefined);
});

test('an audit event without auditID or time is invalid', () => {
  const observer = createObserver();
  const event = JSON.parse(line(1)) as Record<string, unknown>;
  const noId = observer.observe({
    text: JSON.stringify({ ...event, auditID: undefined }),
    origin: { source: 't' },
  });
  assert.ok(isSkip(noId) && noId.reason === 'invalid-event');
  const noTime = observer.observe({
    text: JSON.stringify({
      ...event,
      auditID: 'x',
      stageTimestamp: undefined,
      requestReceivedTimestamp: undefined,
    }),
    origin: { source: 't' },
  });
  assert.ok(isSkip(noTime) && noTime.reason === 'invalid-event');
});
