#!/usr/bin/env node
// Finds helm 3 for the chart tests and the Makefile, building the pinned version from the Go module
// proxy when there is none: `node scripts/helm.mjs <helm arguments>` runs it, `ensureHelm()` returns its path.
// Order: $HELM; the pinned build cached in ~/.cache/matcher-tools/helm/<version>/; a helm 3 on PATH; else
// `go install helm.sh/helm/v3/cmd/helm@<version>` into that cache (a few minutes on 2 cores, once;
// about 15 minutes the first time on a machine whose module cache is empty, mostly downloading).
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
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

// Outside the checkout, so that a fresh clone on the same machine (CI) does not build helm again.
const toolCache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'matcher-tools');
const cacheDir = join(toolCache, 'helm', HELM_VERSION);
export const cachedHelmPath = join(cacheDir, 'helm');

/** The helm 3 on PATH, if any (`helm version --short` prints v3.x.y+g…). */
function helmOnPath() {
  const result = spawnSync('helm', ['version', '--short'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim().startsWith('v3.') ? 'helm' : undefined;
}

// helm v3.22.0's go.mod asks for Go 1.26. Go 1.21+ fetches a newer toolchain by itself (GOTOOLCHAIN=auto,
// from the module proxy); older Go (Debian 12's golang-go is 1.19) gets it below, the same way by hand.
const GO_TOOLCHAIN = 'go1.26.0';
const goArch = { x64: 'amd64', arm64: 'arm64' }[process.arch] ?? process.arch;

/** The minor version of a `go version` line (go1.19.8 → 19), or undefined when go is missing. */
function goMinor(go) {
  const result = spawnSync(go, ['version'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return Number(/go1\.(\d+)/.exec(result.stdout)?.[1] ?? 0);
}

/**
 * Go 1.26 from the module proxy's golang.org/toolchain module, for a Go too old to switch toolchains:
 * the module zip holds a Go distribution without file modes, so its programs are made executable.
 */
function fetchToolchain(log) {
  const goroot = join(toolCache, 'go', GO_TOOLCHAIN);
  const go = join(goroot, 'bin', 'go');
  if (existsSync(go)) return go;
  const module = `golang.org/toolchain@v0.0.1-${GO_TOOLCHAIN}.linux-${goArch}`;
  log(`Go is older than 1.21: fetching ${module} from the module proxy.`);
  const scratch = mkdtempSync(join(tmpdir(), 'go-toolchain-'));
  const download = spawnSync('go', ['mod', 'download', '-json', module], { cwd: scratch, encoding: 'utf8' });
  rmSync(scratch, { recursive: true, force: true });
  if (download.status !== 0)
    throw new Error(`go mod download ${module} failed:\n${download.stdout}${download.stderr}`);
  const { Dir } = JSON.parse(download.stdout);
  const staging = `${goroot}.partial`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(Dir, staging, { recursive: true });
  for (const entry of readdirSync(staging, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const executable = entry.isFile() && /[/\\](bin|pkg[/\\]tool[/\\][^/\\]+)$/.test(entry.parentPath);
    chmodSync(path, entry.isDirectory() || executable ? 0o755 : 0o644);
  }
  chmodSync(staging, 0o755);
  renameSync(staging, goroot);
  return go;
}

/** A go command that can build helm, or an error saying what to install. */
function goForHelm(log) {
  const minor = goMinor('go');
  if (minor === undefined) {
    throw new Error(
      'helm 3 is not installed and neither is Go to build it: install helm 3, or Go (Debian: apt-get install golang-go), or set HELM=/path/to/helm.',
    );
  }
  return minor >= 21 ? 'go' : fetchToolchain(log);
}

function buildHelm(log) {
  const go = goForHelm(log);
  log(`Building helm ${HELM_VERSION} from the Go module proxy into ${cacheDir} (a few minutes, once).`);
  // Built into a fresh directory and renamed into place, so a build cut short leaves no half binary.
  const staging = mkdtempSync(join(toolCache, 'helm', `.build-${HELM_VERSION}-`));
  const started = Date.now();
  const result = spawnSync(
    go,
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

const lockDir = `${cacheDir}.lock`;
// A build takes minutes; a lock older than this was left by a process that died.
const staleLockMs = 60 * 60 * 1000;

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds helm unless another process is building it (test files run in parallel): then waits for it. */
function buildOnce(log) {
  mkdirSync(join(toolCache, 'helm'), { recursive: true });
  for (;;) {
    if (existsSync(cachedHelmPath)) return cachedHelmPath;
    try {
      mkdirSync(lockDir);
    } catch {
      const age = Date.now() - (statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > staleLockMs) rmSync(lockDir, { recursive: true, force: true });
      else sleepSync(2000);
      continue;
    }
    try {
      return existsSync(cachedHelmPath) ? cachedHelmPath : buildHelm(log);
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  }
}

/** The path (or command name) of a helm 3 binary, building the pinned one when none is found. */
export function ensureHelm({ log = (line) => console.error(line) } = {}) {
  if (process.env.HELM) return process.env.HELM;
  if (existsSync(cachedHelmPath)) return cachedHelmPath;
  return helmOnPath() ?? buildOnce(log);
}

if (process.argv[1] === import.meta.filename) {
  const helm = ensureHelm();
  const result = spawnSync(helm, process.argv.slice(2), { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
