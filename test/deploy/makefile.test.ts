// The Makefile run against stand-ins for kubectl and helm that record their arguments (and the Secret
// kubectl is given), so each target's cluster calls are checked without a cluster; the matcher chart
// settings install-matcher passes are then rendered with the real helm.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { V1Deployment } from '@kubernetes/client-node';
import { loadAllYaml, type KubernetesObject } from '@kubernetes/client-node';
import { ensureHelm } from '../../scripts/helm.mjs';
import { ofKind, repoRoot } from './helm.js';

const work = mkdtempSync(join(tmpdir(), 'matcher-make-'));
after(() => {
  rmSync(work, { recursive: true, force: true });
});

// kubectl: `get secret` succeeds once a Secret was created (its NEO4J_AUTH kept in a file);
// `create secret … --from-file=NEO4J_AUTH=/dev/stdin` stores what it reads. helm only records.
const fakeKubectl = `#!/bin/sh
echo "kubectl $*" >> "$FAKE_DIR/calls"
case "$*" in
  "get secret"*"jsonpath"*) [ -f "$FAKE_DIR/secret" ] && base64 < "$FAKE_DIR/secret" ;;
  "get secret"*) [ -f "$FAKE_DIR/secret" ] ;;
  "create secret"*) cat > "$FAKE_DIR/secret" ;;
  *) exit 0 ;;
esac
`;
const fakeHelm = `#!/bin/sh
echo "helm $*" >> "$FAKE_DIR/calls"
`;

function freshFakes(name: string): string {
  const dir = mkdtempSync(join(work, `${name}-`));
  for (const [tool, script] of [
    ['kubectl', fakeKubectl],
    ['helm', fakeHelm],
  ] as const) {
    writeFileSync(join(dir, tool), script);
    chmodSync(join(dir, tool), 0o755);
  }
  return dir;
}

function make(fakes: string, ...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('make', ['--no-print-directory', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${fakes}:${process.env.PATH ?? ''}`, FAKE_DIR: fakes, HELM: 'helm' },
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

function calls(fakes: string): string[] {
  const file = join(fakes, 'calls');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
}

test('make help gives every target a one-line description', () => {
  const makefile = readFileSync(join(repoRoot, 'Makefile'), 'utf8');
  const phony = [...makefile.matchAll(/^\.PHONY: (.+)$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/));
  const expected = [
    'all',
    'install-neo4j',
    'install-matcher',
    'insert-attack-models',
    'forward-neo4j',
    'destroy',
  ];
  for (const target of [...expected, 'build', 'test', 'image', 'helm-lint'])
    assert.ok(phony.includes(target), target);
  const { status, output } = make(freshFakes('help'), 'help');
  assert.equal(status, 0);
  for (const target of phony)
    assert.match(output, new RegExp(`^  ${target} +\\S.*$`, 'm'), `${target} has help`);
});

test('install-neo4j: a generated password in a Secret, never on a command line, kept on the next run', () => {
  const fakes = freshFakes('neo4j');
  assert.equal(make(fakes, 'install-neo4j').status, 0);
  const auth = readFileSync(join(fakes, 'secret'), 'utf8');
  assert.match(auth, /^neo4j\/[A-Za-z0-9]{32}$/);
  const password = auth.slice('neo4j/'.length);
  for (const call of calls(fakes)) assert.ok(!call.includes(password), `no password in: ${call}`);
  const install = calls(fakes).find((call) => call.startsWith('helm upgrade --install neo4j neo4j/neo4j'));
  assert.ok(install, 'the official chart is installed');
  for (const flag of [
    '--version 5.26.21',
    '--namespace matcher',
    '--set neo4j.passwordFromSecret=neo4j-auth',
    '--set services.neo4j.enabled=false',
  ]) {
    assert.ok(install.includes(flag), `${flag} in ${install}`);
  }
  assert.ok(calls(fakes).some((call) => call.startsWith('helm repo add neo4j https://')));

  assert.equal(make(fakes, 'install-neo4j').status, 0);
  assert.equal(readFileSync(join(fakes, 'secret'), 'utf8'), auth, 'the second run keeps the password');
  assert.equal(calls(fakes).filter((call) => call.startsWith('kubectl create secret')).length, 1);
});

test('install-matcher: the settings it passes render the chart with Neo4j and its Secret', () => {
  const fakes = freshFakes('matcher');
  assert.equal(make(fakes, 'install-matcher', 'NAMESPACE=honey').status, 0);
  const install = calls(fakes).find((call) => call.startsWith('helm upgrade --install matcher helm/matcher'));
  assert.ok(install);
  // The same arguments, rendered by the real helm instead of installed.
  const args = install
    .replace(/^helm upgrade --install /, 'template ')
    .replace(/ --wait --timeout \S+/, '')
    .split(' ');
  const rendered = spawnSync(ensureHelm(), args, { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(rendered.status, 0, rendered.stderr);
  const objects = loadAllYaml(rendered.stdout) as KubernetesObject[];
  const [deployment] = ofKind<V1Deployment>(objects, 'Deployment');
  const container = deployment?.spec?.template.spec?.containers[0];
  const env = new Map((container?.env ?? []).map((variable) => [variable.name, variable]));
  assert.equal(env.get('NEO4J_URI')?.value, 'bolt://neo4j.honey.svc:7687');
  assert.equal(env.get('NEO4J_AUTH')?.valueFrom?.secretKeyRef?.name, 'neo4j-auth');
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
    .version;
  assert.equal(container?.image, `k8sstormcenter/matcher:${version}`);
});

test('insert-attack-models loads STIX_MODEL_PATH through a port-forward, the password only in the environment', () => {
  const { status, output } = make(
    freshFakes('models'),
    '-n',
    'insert-attack-models',
    'STIX_MODEL_PATH=my/model.json',
  );
  assert.equal(status, 0);
  assert.match(output, /kubectl port-forward -n matcher svc\/neo4j 17687:7687/);
  assert.match(output, /NEO4J_AUTH="\$auth"\s*\\?\s*node dist\/cli\/main\.js load my\/model\.json/);
  const defaults = make(freshFakes('models'), '-n', 'insert-attack-models').output;
  assert.match(defaults, /load stix\/examples\/hostpath-attack-model\.json/);
  assert.ok(existsSync(join(repoRoot, 'stix/examples/hostpath-attack-model.json')));
});

test('all installs Neo4j, then the matcher, then loads the models', () => {
  const { status, output } = make(freshFakes('all'), '-n', 'all');
  assert.equal(status, 0);
  const neo4j = output.indexOf('upgrade --install neo4j');
  const matcher = output.indexOf('upgrade --install matcher');
  const load = output.indexOf('main.js load');
  assert.ok(neo4j >= 0 && neo4j < matcher && matcher < load, output);
});

test('destroy uninstalls both releases and deletes the Secret and the Neo4j data volume', () => {
  const fakes = freshFakes('destroy');
  assert.equal(make(fakes, 'destroy').status, 0);
  assert.deepEqual(calls(fakes), [
    'helm uninstall matcher --namespace matcher',
    'helm uninstall neo4j --namespace matcher',
    'kubectl delete secret -n matcher neo4j-auth --ignore-not-found',
    'kubectl delete pvc -n matcher data-neo4j-0 --ignore-not-found',
  ]);
});
