#!/usr/bin/env node
// A real Neo4j Community server for tests and local use, without Docker: the jars come from Maven into
// .neo4j-cache/, and scripts/neo4j/Neo4jLauncher.java runs them embedded with Bolt on 127.0.0.1 and
// authentication on. `startNeo4j` is what scripts/run-tests.mjs and integration tests call; run directly
// (`npm run neo4j`) it serves in the foreground and prints one line of connection settings.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import neo4j from 'neo4j-driver';

const root = join(import.meta.dirname, '..');
const launcherDir = join(root, 'scripts', 'neo4j');
// NEO4J_LAUNCHER_CACHE moves the jars (and the default data) elsewhere, e.g. to share them between checkouts.
const cacheDir = resolve(process.env.NEO4J_LAUNCHER_CACHE ?? join(root, '.neo4j-cache'));
const username = 'neo4j';
const startTimeoutMs = 180_000;
const stopTimeoutMs = 60_000;
// The first stop also writes the class archive, which takes a while on a busy machine.
const firstStopTimeoutMs = 240_000;
// Modest on purpose: the machine is shared with the tests and everything else.
const jvmOptions = [
  '-Xms64m',
  '-Xmx512m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  // Lets the page cache use direct buffers instead of its slower fallback.
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
];

/**
 * Starts Neo4j and resolves once it accepts authenticated Bolt connections.
 * Give `dataDir`, `port` and `password` to stop and start again on the same data; without `dataDir` the data
 * lives in a temporary directory that `stop()` removes.
 * @param {{ log?: (line: string) => void, port?: number, dataDir?: string, password?: string }} [options]
 * @returns {Promise<{ uri: string, username: string, password: string, port: number, dataDir: string,
 *   env: { NEO4J_URI: string, NEO4J_USERNAME: string, NEO4J_PASSWORD: string }, stop: () => Promise<void> }>}
 */
export async function startNeo4j(options = {}) {
  const log = options.log ?? (() => {});
  const javaVersion = checkJava();
  const classpath = await resolveClasspath(log);
  const classArchive = classArchiveFor(classpath, javaVersion);
  const port = options.port ?? (await freePort());
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = ownsDataDir ? await mkdtemp(join(tmpdir(), 'matcher-neo4j-')) : resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const password = options.password ?? randomBytes(18).toString('base64url');
  const uri = `bolt://127.0.0.1:${port}`;

  log(`Starting Neo4j on ${uri}, data in ${dataDir}.`);
  const child = spawnLauncher(classpath, classArchive, dataDir, port, password);
  const exited = new Promise((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  const stderrTail = collectTail(child.stderr, log);
  let stopping;
  const stop = () => {
    if (stopping === undefined && !classArchive.exists) {
      log('Stopping; this first stop also saves a class archive for faster starts.');
    }
    stopping ??= stopLauncher(child, exited, classArchive.exists ? stopTimeoutMs : firstStopTimeoutMs)
      .then(() => keepClassArchive(classArchive, child))
      .finally(() => (ownsDataDir ? rm(dataDir, { recursive: true, force: true }) : undefined));
    return stopping;
  };
  try {
    await waitForReady(child, exited, stderrTail);
    await verifyBolt(uri, password);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`Neo4j is ready on ${uri}.`);
  return {
    uri,
    username,
    password,
    port,
    dataDir,
    env: { NEO4J_URI: uri, NEO4J_USERNAME: username, NEO4J_PASSWORD: password },
    stop,
  };
}

function checkJava() {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      'Neo4j needs Java 17 or newer, and `java` was not found on PATH. Install a JDK 17+ ' +
        '(Debian: apt-get install openjdk-17-jdk-headless), or set NEO4J_URI to an existing server.',
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : Number.NaN;
  if (!(major >= 17)) {
    throw new Error(
      `Neo4j 5.26 needs Java 17 or newer; \`java -version\` says: ${result.stderr.split('\n')[0]}. ` +
        'Install a JDK 17+, or set NEO4J_URI to an existing server.',
    );
  }
  return result.stderr.split('\n')[0] ?? '';
}

/** The jars of the Neo4j version in pom.xml, fetched with Maven on first use and listed in a cached file. */
async function resolveClasspath(log) {
  const pom = join(launcherDir, 'pom.xml');
  const key = createHash('sha256')
    .update(await readFile(pom))
    .digest('hex')
    .slice(0, 16);
  const listFile = join(cacheDir, `classpath-${key}.txt`);
  if (existsSync(listFile)) {
    const classpath = (await readFile(listFile, 'utf8')).trim();
    if (classpath.split(':').every((jar) => existsSync(jar))) return classpath;
  }
  log('First start: downloading the Neo4j jars with Maven into .neo4j-cache/ (about 150 MB, once).');
  if (spawnSync('mvn', ['--version'], { stdio: 'ignore' }).error) {
    throw new Error(
      'The Neo4j jars are not cached yet and `mvn` was not found on PATH. Install Maven ' +
        '(Debian: apt-get install maven), or set NEO4J_URI to an existing server.',
    );
  }
  await mkdir(cacheDir, { recursive: true });
  const partial = `${listFile}.${process.pid}.partial`;
  const args = [
    '-B',
    '-q',
    '-f',
    pom,
    `-Dmaven.repo.local=${join(cacheDir, 'repository')}`,
    'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath',
    `-Dmdep.outputFile=${partial}`,
  ];
  const maven = spawnSync('mvn', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (maven.status !== 0) {
    const output = `${maven.stdout}${maven.stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`Maven could not fetch the Neo4j jars (exit ${maven.status}):\n${output}`);
  }
  await rename(partial, listFile);
  return (await readFile(listFile, 'utf8')).trim();
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Java's class-data sharing: the first run records the classes it loaded into an archive when it exits
 * (a partial file, renamed once the JVM has exited cleanly); later starts map it and spend about a third
 * less CPU. The name carries the jars and the JVM, so a change of either makes a new archive.
 */
function classArchiveFor(classpath, javaVersion) {
  const key = createHash('sha256').update(`${javaVersion}\n${classpath}`).digest('hex').slice(0, 16);
  const path = join(cacheDir, `classes-${key}.jsa`);
  return {
    path,
    partial: `${path}.${process.pid}.${randomBytes(4).toString('hex')}.partial`,
    exists: existsSync(path),
  };
}

async function keepClassArchive(archive, child) {
  if (archive.exists) return;
  if (child.exitCode === 0 && existsSync(archive.partial)) await rename(archive.partial, archive.path);
  else await rm(archive.partial, { force: true });
}

function spawnLauncher(classpath, classArchive, dataDir, port, password) {
  const args = [
    ...jvmOptions,
    classArchive.exists
      ? `-XX:SharedArchiveFile=${classArchive.path}`
      : `-XX:ArchiveClassesAtExit=${classArchive.partial}`,
    // CDS reports a stale archive on stdout; it only costs speed, so keep it out of the protocol.
    '-Xlog:cds=off',
    '-Xlog:cds+dynamic=off',
    '-cp',
    classpath,
    join(launcherDir, 'Neo4jLauncher.java'),
    '--home',
    dataDir,
    '--port',
    String(port),
  ];
  return spawn('java', args, {
    cwd: root,
    env: { ...process.env, NEO4J_LAUNCHER_PASSWORD: password },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Forwards the launcher's stderr to the log and keeps its last lines for error messages. */
function collectTail(stream, log) {
  const tail = [];
  createInterface({ input: stream }).on('line', (line) => {
    log(line);
    tail.push(line);
    if (tail.length > 30) tail.shift();
  });
  return tail;
}

function waitForReady(child, exited, stderrTail) {
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Neo4j did not start within ${startTimeoutMs / 1000} s.`)),
      startTimeoutMs,
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      const why = stderrTail.join('\n') || '(no output)';
      reject(new Error(`Neo4j exited before it was ready (${signal ?? `exit ${code}`}):\n${why}`));
    });
  });
}

/** The launcher says READY once Bolt listens; this proves the password works too. */
async function verifyBolt(uri, password) {
  const driver = neo4j.driver(uri, neo4j.auth.basic(username, password));
  try {
    await driver.getServerInfo();
  } finally {
    await driver.close();
  }
}

/** Closing stdin asks the launcher to shut Neo4j down cleanly; SIGKILL only if it hangs. */
async function stopLauncher(child, exited, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

function parseArgs(argv) {
  const options = { dataDir: join(cacheDir, 'data') };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value.`);
    if (flag === '--port') options.port = Number(value);
    else if (flag === '--data-dir') options.dataDir = value;
    else if (flag === '--password') options.password = value;
    else throw new Error(`Unknown option ${flag}. Options: --port N, --data-dir DIR, --password P.`);
  }
  if (
    options.port !== undefined &&
    !(Number.isInteger(options.port) && options.port > 0 && options.port < 65536)
  ) {
    throw new Error('--port needs a port number (1-65535).');
  }
  return options;
}

async function serveInForeground() {
  const server = await startNeo4j({
    ...parseArgs(process.argv.slice(2)),
    log: (line) => console.error(line),
  });
  const { NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD } = server.env;
  console.log(`NEO4J_URI=${NEO4J_URI} NEO4J_USERNAME=${NEO4J_USERNAME} NEO4J_PASSWORD=${NEO4J_PASSWORD}`);
  const shutdown = () => {
    console.error('Stopping Neo4j.');
    server.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  serveInForeground().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
