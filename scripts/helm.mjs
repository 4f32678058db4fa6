#!/usr/bin/env node
// Finds helm 3 for the chart tests and the Makefile, building the pinned version from the Go module
// proxy when there is none: `node scripts/helm.mjs <helm arguments>` runs it, `ensureHelm()` returns its path.
// Order: $HELM; the pinned build cached in .cache/helm/<version>/; a helm 3 on PATH; else
// `go install helm.sh/helm/v3/cmd/helm@<version>` into that cache (a few minutes on 2 cores, once).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const HELM_VERSION = 'v3.22.0';
// The Kubernetes minor version helm v3.22.0 is built against (its k8s.io/client-go v0.37): what
// `helm template` and `helm lint` assume without a cluster. helm's own Makefile sets these at link time.
const KUBERNETES_MINOR = '37';
const ldflags = [
  '-s',
  '-w',
  `-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}`,
  ...['pkg/chartutil', 'pkg/lint/rules'].flatMap((pkg) => [
    `-X helm.sh/helm/v3/${pkg}.k8sVersionMajor=1`,
    `-X helm.sh/helm/v3/${pkg}.k8sVersionMinor=${KUBERNETES_MINOR}`,
  ]),
].join(' ');

const root = join(import.meta.dirname, '..');
const cacheDir = join(root, '.cache', 'helm', HELM_VERSION);
export const cachedHelmPath = join(cacheDir, 'helm');

/** The helm 3 on PATH, if any (`helm version --short` prints v3.x.y+g…). */
function helmOnPath() {
  const result = spawnSync('helm', ['version', '--short'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim().startsWith('v3.') ? 'helm' : undefined;
}

function buildHelm(log) {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new Error(
      'helm 3 is not installed and neither is Go to build it: install helm 3, or Go (Debian: apt-get install golang), or set HELM=/path/to/helm.',
    );
  }
  log(`Building helm ${HELM_VERSION} from the Go module proxy into ${cacheDir} (a few minutes, once).`);
  mkdirSync(join(root, '.cache', 'helm'), { recursive: true });
  // Built into a fresh directory and renamed into place, so a build cut short leaves no half binary.
  const staging = mkdtempSync(join(root, '.cache', 'helm', `.build-${HELM_VERSION}-`));
  const started = Date.now();
  const result = spawnSync(
    'go',
    ['install', '-trimpath', `-ldflags=${ldflags}`, `helm.sh/helm/v3/cmd/helm@${HELM_VERSION}`],
    {
      cwd: staging,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
    },
  );
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`go install helm.sh/helm/v3/cmd/helm@${HELM_VERSION} failed (exit ${result.status}).`);
  }
  rmSync(cacheDir, { recursive: true, force: true });
  renameSync(staging, cacheDir);
  log(`Built helm ${HELM_VERSION} in ${Math.round((Date.now() - started) / 1000)} s.`);
  return cachedHelmPath;
}

/** The path (or command name) of a helm 3 binary, building the pinned one when none is found. */
export function ensureHelm({ log = (line) => console.error(line) } = {}) {
  if (process.env.HELM) return process.env.HELM;
  if (existsSync(cachedHelmPath)) return cachedHelmPath;
  return helmOnPath() ?? buildHelm(log);
}

if (process.argv[1] === import.meta.filename) {
  const helm = ensureHelm();
  const result = spawnSync(helm, process.argv.slice(2), { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
