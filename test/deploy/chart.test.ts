// The chart, linted and rendered with helm in each mode: workload kind, least RBAC, security context,
// and environment variables the daemon itself accepts (checked with src/config.ts's own parser).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  KubernetesObject,
  V1ClusterRoleBinding,
  V1Container,
  V1DaemonSet,
  V1Deployment,
  V1EnvVar,
  V1PodSpec,
  V1PolicyRule,
  V1Role,
  V1RoleBinding,
  V1Service,
} from '@kubernetes/client-node';
import { resolveDaemonConfig, settingSources, type DaemonConfig } from '../../src/config.js';
import { hasNeo4jSettings } from '../../src/neo4j/index.js';
import { chartPath, NAMESPACE, RELEASE, ofKind, onlyOne, render, renderError, runHelm } from './helm.js';

const TETRAGON_LOG = '/var/run/cilium/tetragon/tetragon.log';
const withNeo4j = { neo4j: { uri: 'bolt://neo4j.matcher-test.svc:7687', existingSecret: 'neo4j-auth' } };
const podLogsOff = { sources: { podLogs: { enabled: false }, auditWebhook: { enabled: true } } };

/** Every value set CI renders: the defaults and each mode, with and without the pod-log source and Neo4j. */
const variants: Record<string, Record<string, unknown>> = {
  defaults: {},
  'deployment, pod logs off, audit webhook': podLogsOff,
  'deployment, pod logs in one namespace': { sources: { podLogs: { namespace: 'kube-system' } } },
  'deployment with Neo4j': withNeo4j,
  daemonset: { mode: 'daemonset' },
  'daemonset with Neo4j': { mode: 'daemonset', ...withNeo4j },
  'daemonset as UID 1000': { mode: 'daemonset', daemonset: { runAsRoot: false } },
};

/** A deserialised Kubernetes model as plain data, for deep comparisons. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function workloadOf(objects: readonly KubernetesObject[]): V1Deployment | V1DaemonSet {
  const workloads = [
    ...ofKind<V1Deployment>(objects, 'Deployment'),
    ...ofKind<V1DaemonSet>(objects, 'DaemonSet'),
  ];
  assert.equal(workloads.length, 1, 'one Deployment or DaemonSet');
  return workloads[0] as V1Deployment | V1DaemonSet;
}

function podOf(objects: readonly KubernetesObject[]): V1PodSpec {
  const spec = workloadOf(objects).spec?.template.spec;
  assert.ok(spec, 'the workload has a pod template');
  return spec;
}

function containerOf(objects: readonly KubernetesObject[]): V1Container {
  const containers = podOf(objects).containers;
  assert.equal(containers.length, 1);
  return containers[0] as V1Container;
}

/** The container's environment, with values from Secrets replaced by what such a Secret would hold. */
function envOf(objects: readonly KubernetesObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of containerOf(objects).env ?? []) env[variable.name] = valueOf(variable);
  return env;
}

function valueOf(variable: V1EnvVar): string {
  if (variable.valueFrom?.secretKeyRef) return 'neo4j/a-password';
  assert.equal(typeof variable.value, 'string', `${variable.name} is a string`);
  return variable.value ?? '';
}

/** The daemon's reading of the rendered environment, as `matcher run` would do it in the pod. */
function daemonConfigOf(objects: readonly KubernetesObject[]): DaemonConfig {
  return resolveDaemonConfig({}, envOf(objects));
}

const allowedRules = new Map([
  ['pods', ['get', 'list', 'watch']],
  ['pods/log', ['get']],
]);

function assertLeastRules(rules: readonly V1PolicyRule[]): void {
  for (const rule of rules) {
    assert.deepEqual(rule.apiGroups, [''], 'core API group only');
    assert.equal(rule.resourceNames, undefined);
    assert.equal(rule.nonResourceURLs, undefined);
    for (const resource of rule.resources ?? []) {
      const allowed = allowedRules.get(resource);
      assert.ok(allowed, `resource ${resource} is not one the pod-log source needs`);
      for (const verb of rule.verbs) assert.ok(allowed.includes(verb), `verb ${verb} on ${resource}`);
    }
  }
  const granted = rules.flatMap((rule) =>
    (rule.resources ?? []).flatMap((r) => rule.verbs.map((v) => `${r}:${v}`)),
  );
  assert.deepEqual(new Set(granted), new Set(['pods:get', 'pods:list', 'pods:watch', 'pods/log:get']));
}

const rbacKinds = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

test('helm lint passes in every mode, strictly', () => {
  for (const [name, values] of Object.entries(variants)) {
    const result = runHelm(['lint', chartPath, '--strict'], values);
    assert.equal(result.status, 0, `${name}:\n${result.stdout}${result.stderr}`);
  }
});

test('every variant renders, and every env var it sets is one the daemon reads and accepts', () => {
  const known = new Set(Object.values(settingSources).flatMap((source) => (source.env ? [source.env] : [])));
  for (const [name, values] of Object.entries(variants)) {
    const objects = render(values);
    for (const variable of Object.keys(envOf(objects))) {
      const neo4j = variable.startsWith('NEO4J_') && hasNeo4jSettings({ [variable]: 'x' });
      assert.ok(known.has(variable) || neo4j, `${name}: ${variable} is not a setting of src/config.ts`);
    }
    assert.doesNotThrow(() => daemonConfigOf(objects), `${name}: the daemon accepts the rendered settings`);
  }
});

test('defaults: a Deployment of one pod reading Tetragon pod logs in every namespace', () => {
  const objects = render();
  const deployment = onlyOne(ofKind<V1Deployment>(objects, 'Deployment'));
  assert.equal(deployment.spec?.replicas, 1);
  assert.equal(deployment.spec.strategy?.type, 'Recreate');
  assert.equal(ofKind(objects, 'DaemonSet').length, 0);
  const config = daemonConfigOf(objects);
  assert.equal(config.kubeLabelSelector, 'app.kubernetes.io/name=tetragon');
  assert.equal(config.kubeContainer, 'export-stdout');
  assert.equal(config.kubeNamespace, undefined);
  assert.deepEqual(config.tail, []);
  assert.equal(config.neo4j, undefined);
  assert.equal(config.stateDir, '/var/lib/matcher');
  assert.equal(containerOf(objects).image, 'k8sstormcenter/matcher:0.1.0');
  assert.deepEqual(containerOf(objects).args, ['run']);
});

test('pod-log source in every namespace: a ClusterRole with pods get/list/watch and pods/log get, nothing more', () => {
  const objects = render();
  const role = onlyOne(ofKind<V1Role>(objects, 'ClusterRole'));
  assertLeastRules(role.rules ?? []);
  const binding = onlyOne(ofKind<V1ClusterRoleBinding>(objects, 'ClusterRoleBinding'));
  assert.equal(binding.roleRef.name, role.metadata?.name);
  assert.equal(binding.roleRef.kind, 'ClusterRole');
  const account = onlyOne(ofKind(objects, 'ServiceAccount'));
  assert.deepEqual(plain(binding.subjects), [
    { kind: 'ServiceAccount', name: account.metadata?.name, namespace: NAMESPACE },
  ]);
  assert.equal(podOf(objects).serviceAccountName, account.metadata?.name);
  assert.equal(podOf(objects).automountServiceAccountToken, true);
  assert.equal(ofKind(objects, 'Role').length + ofKind(objects, 'RoleBinding').length, 0);
});

test('pod-log source in one namespace: a Role and RoleBinding there, no cluster-wide grant', () => {
  const objects = render({ sources: { podLogs: { namespace: 'kube-system' } } });
  assert.equal(ofKind(objects, 'ClusterRole').length + ofKind(objects, 'ClusterRoleBinding').length, 0);
  const role = onlyOne(ofKind<V1Role>(objects, 'Role'));
  assert.equal(role.metadata?.namespace, 'kube-system');
  assertLeastRules(role.rules ?? []);
  const binding = onlyOne(ofKind<V1RoleBinding>(objects, 'RoleBinding'));
  assert.equal(binding.metadata?.namespace, 'kube-system');
  assert.equal(binding.roleRef.kind, 'Role');
  assert.equal(binding.subjects?.[0]?.namespace, NAMESPACE);
  assert.equal(daemonConfigOf(objects).kubeNamespace, 'kube-system');
});

test('without the pod-log source: no RBAC at all and no service account token in the pod', () => {
  for (const values of [podLogsOff, { mode: 'daemonset' }]) {
    const objects = render(values);
    for (const kind of rbacKinds) assert.equal(ofKind(objects, kind).length, 0, `no ${kind}`);
    assert.equal(podOf(objects).automountServiceAccountToken, false);
    assert.equal(daemonConfigOf(objects).kubeLabelSelector, undefined);
  }
});

test('security context: no capabilities, no escalation, read-only root, RuntimeDefault seccomp, in every variant', () => {
  for (const [name, values] of Object.entries(variants)) {
    const objects = render(values);
    const pod = podOf(objects);
    const context = containerOf(objects).securityContext;
    assert.ok(context, `${name}: the container has a security context`);
    assert.deepEqual(plain(context.capabilities), { drop: ['ALL'] }, name);
    assert.equal(context.allowPrivilegeEscalation, false, name);
    assert.equal(context.privileged, false, name);
    assert.equal(context.readOnlyRootFilesystem, true, name);
    assert.equal(context.seccompProfile?.type, 'RuntimeDefault', name);
    assert.equal(pod.securityContext?.seccompProfile?.type, 'RuntimeDefault', name);
    assert.equal(pod.hostNetwork, undefined, name);
    assert.equal(pod.hostPID, undefined, name);
    const root =
      values.mode === 'daemonset' &&
      (values.daemonset as { runAsRoot?: boolean } | undefined)?.runAsRoot !== false;
    if (root) {
      // Only daemonset mode, to read Tetragon's root-owned 600 file; see daemonset.runAsRoot.
      assert.equal(context.runAsUser, 0, name);
    } else {
      assert.equal(context.runAsNonRoot, true, name);
      assert.equal(pod.securityContext.runAsNonRoot, true, name);
      assert.notEqual(context.runAsUser, 0, name);
      assert.ok((context.runAsUser ?? 0) > 0, `${name}: a numeric non-root UID`);
    }
  }
});

test('the root filesystem is read-only, so the state directory and /tmp are volumes', () => {
  for (const values of [{}, { mode: 'daemonset' }]) {
    const objects = render(values);
    const mounts = new Map((containerOf(objects).volumeMounts ?? []).map((m) => [m.mountPath, m]));
    assert.ok(mounts.has(daemonConfigOf(objects).stateDir), 'the state directory is mounted');
    assert.ok(mounts.has('/tmp'));
  }
});

test('daemonset: tails the node’s Tetragon file through a read-only hostPath, state kept on the node', () => {
  const objects = render({ mode: 'daemonset' });
  onlyOne(ofKind<V1DaemonSet>(objects, 'DaemonSet'));
  assert.equal(ofKind(objects, 'Deployment').length, 0);
  const config = daemonConfigOf(objects);
  assert.deepEqual(config.tail, [TETRAGON_LOG]);
  assert.equal(config.tailStartAt, 'end');
  const pod = podOf(objects);
  const volumes = new Map((pod.volumes ?? []).map((volume) => [volume.name, volume]));
  const mount = containerOf(objects).volumeMounts?.find((m) => m.mountPath === '/var/run/cilium/tetragon');
  assert.ok(mount, 'the Tetragon directory is mounted');
  assert.equal(mount.readOnly, true);
  assert.equal(volumes.get(mount.name)?.hostPath?.path, '/var/run/cilium/tetragon');
  const stateMount = containerOf(objects).volumeMounts?.find((m) => m.mountPath === config.stateDir);
  const state = volumes.get(stateMount?.name ?? '');
  assert.equal(state?.hostPath?.path, `/var/lib/matcher/${RELEASE}-matcher`);
  assert.equal(state.emptyDir, undefined);
});

test('deployment: the state directory is an emptyDir', () => {
  const objects = render();
  const stateMount = containerOf(objects).volumeMounts?.find((m) => m.mountPath === '/var/lib/matcher');
  const state = podOf(objects).volumes?.find((volume) => volume.name === stateMount?.name);
  assert.ok(state?.emptyDir);
  assert.equal(state.hostPath, undefined);
});

test('Neo4j: the URI, and NEO4J_AUTH from the existing Secret, never a literal password', () => {
  const objects = render({ ...withNeo4j, neo4j: { ...withNeo4j.neo4j, database: 'threats' } });
  const env = containerOf(objects).env ?? [];
  const auth = env.find((variable) => variable.name === 'NEO4J_AUTH');
  assert.ok(auth, 'NEO4J_AUTH is set');
  assert.deepEqual(plain(auth.valueFrom?.secretKeyRef), { name: 'neo4j-auth', key: 'NEO4J_AUTH' });
  assert.equal(auth.value, undefined);
  const config = daemonConfigOf(objects);
  assert.equal(config.neo4j?.uri, 'bolt://neo4j.matcher-test.svc:7687');
  assert.equal(config.neo4j.database, 'threats');
  assert.equal(config.neo4j.username, 'neo4j');
  assert.equal(ofKind(objects, 'Secret').length, 0, 'the chart creates no Secret');
});

test('Neo4j without a Secret is refused with a message naming the value', () => {
  assert.match(renderError({ neo4j: { uri: 'bolt://neo4j:7687' } }), /neo4j\.existingSecret/);
});

test('probes: liveness on /healthz and readiness on /readyz, at the port the daemon serves', () => {
  const objects = render({ http: { port: 9191 } });
  const container = containerOf(objects);
  const port = container.ports?.find((p) => p.name === 'http');
  assert.equal(port?.containerPort, 9191);
  assert.equal(daemonConfigOf(objects).httpPort, 9191);
  assert.equal(container.livenessProbe?.httpGet?.path, '/healthz');
  assert.equal(container.livenessProbe.httpGet.port, 'http');
  assert.equal(container.readinessProbe?.httpGet?.path, '/readyz');
  assert.equal(container.readinessProbe.httpGet.port, 'http');
  assert.ok(container.resources?.requests?.memory, 'resources are set');
  assert.ok(container.resources.limits?.memory);
});

test('the pod’s termination grace period covers the daemon’s shutdown grace', () => {
  const objects = render({ shutdownGraceMs: 25_500 });
  assert.equal(daemonConfigOf(objects).shutdownGraceMs, 25_500);
  assert.ok((podOf(objects).terminationGracePeriodSeconds ?? 0) > 25.5);
});

test('large millisecond values reach the daemon as whole numbers (no 3.6e+06)', () => {
  const objects = render({ aggregationWindowMs: 3_600_000, indicators: { refreshIntervalMs: 1_000_000 } });
  const config = daemonConfigOf(objects);
  assert.equal(config.aggregationWindowMs, 3_600_000);
  assert.equal(config.indicatorRefreshIntervalMs, 1_000_000);
});

test('the correlation values reach the daemon, and their defaults are the daemon’s own', () => {
  const defaults = daemonConfigOf(render());
  assert.deepEqual(
    [defaults.correlationHorizonMs, defaults.outOfOrderToleranceMs, defaults.maxPartialPerIndicator],
    [3_600_000, 5000, 1000],
  );
  const config = daemonConfigOf(
    render({
      correlation: { horizonMs: 86_400_000, outOfOrderToleranceMs: 0, maxPartialPerIndicator: 20_000 },
    }),
  );
  assert.deepEqual(
    [config.correlationHorizonMs, config.outOfOrderToleranceMs, config.maxPartialPerIndicator],
    [86_400_000, 0, 20_000],
  );
});

test('a Service for /metrics, and one for the audit webhook only when it is on', () => {
  const withoutWebhook = ofKind<V1Service>(render(), 'Service');
  assert.equal(withoutWebhook.length, 1);
  assert.equal(withoutWebhook[0]?.spec?.ports?.[0]?.targetPort, 'http');

  const objects = render({ sources: { auditWebhook: { enabled: true, port: 9881 } } });
  const services = ofKind<V1Service>(objects, 'Service');
  assert.equal(services.length, 2);
  const webhook = services.find((service) => service.metadata?.name?.endsWith('-audit-webhook'));
  assert.equal(webhook?.spec?.ports?.[0]?.targetPort, 'audit-webhook');
  const port = containerOf(objects).ports?.find((p) => p.name === 'audit-webhook');
  assert.equal(port?.containerPort, 9881);
  assert.equal(daemonConfigOf(objects).auditWebhookPort, 9881);
  for (const service of services) {
    assert.deepEqual(service.spec?.selector, workloadOf(objects).spec?.selector.matchLabels);
  }
});

test('tail paths, indicator files and settings pass through to the daemon', () => {
  const objects = render({
    clusterName: 'honey-eu',
    logLevel: 'debug',
    sources: { tail: { paths: ['/logs/a.log', '/logs/b.log'], startAt: 'beginning' } },
    indicators: { files: ['/models/one.json', '/models/two.json'] },
  });
  const config = daemonConfigOf(objects);
  assert.deepEqual(config.tail, ['/logs/a.log', '/logs/b.log']);
  assert.equal(config.tailStartAt, 'beginning');
  assert.deepEqual(config.indicators, ['/models/one.json', '/models/two.json']);
  assert.equal(config.clusterName, 'honey-eu');
  assert.equal(config.logLevel, 'debug');
});

test('refused: the pod-log source in daemonset mode (each event would be read once per node)', () => {
  assert.match(
    renderError({ mode: 'daemonset', sources: { podLogs: { enabled: true } } }),
    /mode=deployment/,
  );
});

test('refused: no source at all, which the daemon would refuse too', () => {
  const error = renderError({ sources: { podLogs: { enabled: false } } });
  assert.match(error, /No source is on/);
});

test('values.schema.json refuses an unknown mode, a misspelt key and a URI with credentials', () => {
  assert.match(renderError({ mode: 'statefulset' }), /mode/);
  assert.match(renderError({ sources: { podLog: {} } }), /podLog/);
  assert.match(renderError({ neo4j: { uri: 'bolt://neo4j:secret@neo4j:7687', existingSecret: 's' } }), /uri/);
  assert.match(renderError({ sources: { tail: { paths: ['relative.log'] } } }), /paths/);
});
