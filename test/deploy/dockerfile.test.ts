// The Dockerfile read as data (no Docker engine here): stages, base image, user, what it copies and
// runs; then the runtime stage's file layout rebuilt in a temp directory and the daemon run from it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { baseImage, dockerContextIncludes, execForm, readDockerfile, type Stage } from './dockerfile.js';
import { repoRoot } from './helm.js';

interface PackageJson {
  readonly bin: Record<string, string>;
  readonly scripts: Record<string, string>;
  readonly dependencies: Record<string, string>;
  readonly engines: { readonly node: string };
}

const dockerfile = readDockerfile(repoRoot);
const dockerignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8');
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
const runtime = dockerfile.stages.at(-1) as Stage;

/** End of security support of the Node.js LTS lines (https://github.com/nodejs/release#release-schedule). */
const ltsEndOfLife: Record<number, string> = { 22: '2027-04-30', 24: '2028-04-30', 26: '2029-04-30' };

function stageNamed(name: string): Stage {
  const stage = dockerfile.stages.find((s) => s.name === name);
  assert.ok(stage, `stage ${name}`);
  return stage;
}

function runs(stage: Stage): string[] {
  return stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
}

/** COPY instructions as { from, sources, target }. */
function copies(stage: Stage): { from: string | undefined; sources: string[]; target: string }[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => {
      const words = i.args.split(/\s+/);
      const from = words[0]?.startsWith('--from=') ? words.shift()?.slice('--from='.length) : undefined;
      const target = words.pop() ?? '';
      return { from, sources: words, target };
    });
}

test('multi-stage: production dependencies, a build with tsc, and a runtime stage', () => {
  assert.deepEqual(
    dockerfile.stages.map((s) => s.name),
    ['dependencies', 'build', 'runtime'],
  );
  assert.ok(runs(stageNamed('build')).includes('npm run build'));
  assert.match(packageJson.scripts.build ?? '', /^tsc /, 'npm run build is tsc');
  // --ignore-scripts: `prepare` would run tsc, which production dependencies do not include.
  assert.ok(runs(stageNamed('dependencies')).some((r) => /^npm ci --omit=dev --ignore-scripts\b/.test(r)));
  assert.ok(runs(stageNamed('build')).some((r) => /^npm ci --ignore-scripts\b/.test(r)));
});

test('every stage is built on one current Node.js LTS line the package supports', () => {
  const bases = new Set(dockerfile.stages.map((stage) => baseImage(dockerfile, stage)));
  assert.equal(bases.size, 1, 'one base image');
  const [base = ''] = bases;
  const [first = '', ...rest] = base.split('/');
  assert.ok(rest.length === 0 || !/[.:]|^localhost$/.test(first), 'no registry host in the image name');
  const major = Number(/^node:(\d+)-/.exec(base)?.[1]);
  const endOfLife = ltsEndOfLife[major];
  assert.ok(endOfLife, `node:${major} is an LTS line`);
  assert.ok(new Date(endOfLife) > new Date(), `Node.js ${major} is still supported (until ${endOfLife})`);
  const minimum = Number(/>=(\d+)/.exec(packageJson.engines.node)?.[1]);
  assert.ok(major >= minimum, 'satisfies package.json engines');
});

test('runtime: production node_modules, dist/ and stix/ only, as a numeric non-root user', () => {
  const runtimeCopies = copies(runtime);
  assert.deepEqual(runtimeCopies.map((c) => `${c.from ?? 'context'}:${c.sources.join(',')}`).sort(), [
    'build:/app/dist',
    'context:package.json',
    'context:stix',
    'dependencies:/app/node_modules',
  ]);
  const users = runtime.instructions.filter((i) => i.keyword === 'USER');
  assert.equal(users.length, 1);
  const [uid, gid] = (users[0]?.args ?? '').split(':').map(Number);
  assert.ok(Number.isInteger(uid) && (uid ?? 0) > 0, 'numeric non-zero UID');
  assert.ok(Number.isInteger(gid) && (gid ?? 0) > 0, 'numeric non-zero GID');
  assert.equal(runtime.instructions.at(-1)?.keyword, 'CMD');
});

test('the image runs `matcher run` through the package’s bin, with state in /var/lib/matcher', () => {
  const entrypoint = execForm(runtime.instructions.find((i) => i.keyword === 'ENTRYPOINT'));
  const command = execForm(runtime.instructions.find((i) => i.keyword === 'CMD'));
  assert.deepEqual([...entrypoint, ...command], ['node', packageJson.bin.matcher, 'run']);
  const env = runtime.instructions
    .filter((i) => i.keyword === 'ENV')
    .map((i) => i.args)
    .join(' ');
  assert.match(env, /MATCHER_STATE_DIR=\/var\/lib\/matcher\b/);
  assert.ok(runs(runtime).some((r) => r.includes('/var/lib/matcher') && r.includes('chown 1000:1000')));
});

test('every file the Dockerfile copies from the context exists and .dockerignore lets it in', () => {
  const sources = dockerfile.stages.flatMap((stage) =>
    copies(stage).flatMap((c) => (c.from === undefined ? c.sources : [])),
  );
  assert.ok(sources.length > 0);
  for (const source of sources) {
    assert.ok(existsSync(join(repoRoot, source)), `${source} exists`);
    const files = statSync(join(repoRoot, source)).isDirectory()
      ? filesUnder(join(repoRoot, source))
      : [source];
    for (const file of files)
      assert.ok(dockerContextIncludes(dockerignore, file), `${file} is in the context`);
  }
  for (const left of [
    'node_modules/zod/package.json',
    'dist/index.js',
    '.git/HEAD',
    '.cache/x',
    'test/a.ts',
  ]) {
    assert.equal(dockerContextIncludes(dockerignore, left), false, `${left} stays out of the context`);
  }
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)));
}

test('the built code imports only Node.js built-ins and production dependencies', () => {
  const dist = join(repoRoot, 'dist');
  const builtins = new Set(builtinModules);
  const production = new Set(Object.keys(packageJson.dependencies));
  const bare = /(?:^|\s)(?:import|export)\s[^'"]*?from\s+'([^.'][^']*)'|import\('([^.'][^']*)'\)/gm;
  for (const file of filesUnder(dist).filter((f) => f.endsWith('.js'))) {
    for (const match of readFileSync(join(repoRoot, file), 'utf8').matchAll(bare)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (specifier.startsWith('node:') || builtins.has(specifier)) continue;
      const name = specifier.startsWith('@')
        ? specifier.split('/').slice(0, 2).join('/')
        : specifier.split('/')[0];
      assert.ok(production.has(name ?? ''), `${file} imports ${specifier}, not a production dependency`);
    }
  }
});

/** Every path under `dir` with its size and modification time, to see whether anything was written. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isSymbolicLink())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      const stat = statSync(path);
      return `${relative(dir, path)} ${stat.size} ${stat.mtimeMs}`;
    })
    .sort();
}

/**
 * Lays out a stage's /app in `dir` from its COPY instructions: context files copied, other stages' /app
 * paths taken from `stageDirs`. node_modules is linked to the checkout's (the import check above covers
 * production-only).
 */
function layOut(stage: Stage, dir: string, stageDirs: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const copy of copies(stage)) {
    for (const source of copy.sources) {
      const from =
        copy.from === undefined
          ? join(repoRoot, source)
          : join(stageDirs[copy.from] ?? '', relative('/app', source));
      const name =
        copy.sources.length === 1 && !copy.target.endsWith('/') ? copy.target : source.split('/').at(-1);
      const to = join(dir, name ?? '');
      if (source.endsWith('node_modules')) symlinkSync(join(repoRoot, 'node_modules'), to);
      else cpSync(from, to, { recursive: true });
    }
  }
}

test('the stages built from their COPY lines: tsc compiles, and the daemon runs from the runtime layout', async () => {
  const work = mkdtempSync(join(tmpdir(), 'matcher-image-'));
  try {
    // The build stage: only what it copies, then its `npm run build`.
    const build = join(work, 'build');
    layOut(stageNamed('build'), build, {});
    symlinkSync(join(repoRoot, 'node_modules'), join(build, 'node_modules'));
    const compiled = spawnSync('npm', ['run', 'build'], { cwd: build, encoding: 'utf8' });
    assert.equal(compiled.status, 0, compiled.stdout + compiled.stderr);
    const app = join(work, 'app');
    layOut(runtime, app, { build, dependencies: join(work, 'dependencies') });
    assert.ok(existsSync(join(app, packageJson.bin.matcher ?? '')), 'the bin is in the runtime layout');
    const state = join(work, 'state');
    const before = snapshot(app);
    const fixture = join(repoRoot, 'test', 'fixtures', 'attacks', 'hostpath', 'tetragon.log');
    const child = spawn(process.execPath, [packageJson.bin.matcher ?? '', 'run'], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: join(work, 'no-home'),
        NODE_ENV: 'production',
        MATCHER_STATE_DIR: state,
        MATCHER_TAIL_PATHS: fixture,
        MATCHER_TAIL_START_AT: 'beginning',
        MATCHER_HTTP_HOST: '127.0.0.1',
        MATCHER_HTTP_PORT: '0',
      },
    });
    // Only so a daemon that never reports cannot hang the suite; the assertions below say what failed.
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let sighting: Record<string, unknown> | undefined;
    for await (const line of createInterface({ input: child.stdout })) {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (record.kind === 'sighting') {
        sighting = record;
        child.kill('SIGTERM');
        break;
      }
    }
    const code = await exited;
    clearTimeout(guard);
    assert.equal(code, 0, `clean exit after SIGTERM\n${stderr}`);
    assert.ok(sighting, 'a sighting from the example model');
    assert.deepEqual(snapshot(app), before, 'nothing written under /app');
    assert.ok(readdirSync(state).length > 0, 'checkpoints saved in the state directory');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
