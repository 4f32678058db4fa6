import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appendFile, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Driver } from 'neo4j-driver';
import { z } from 'zod';
import { main } from '../../src/cli/main.js';
import { createDriver, readNeo4jCredentials, sessionConfig } from '../../src/neo4j/index.js';
import { spawnRun, type Child } from '../daemon/child.js';
import { exampleModel, recordingDir, recordingLines, tempDir, type LogLine } from '../daemon/harness.js';
import { memoryIO } from '../helpers/io.js';
import { startRestartableNeo4j, type RestartableNeo4j } from './neo4j-env.js';

/**
 * `matcher run` killed with SIGKILL mid-stream and started again must leave Neo4j with exactly the
 * sightings and counts of a run that was never interrupted. The database is the test's own: sighting ids
 * are deterministic, so another test writing the same recording into a shared one would hide a wrong count.
 */

const VOLUME_THEN_POD = 'indicator--a2a40781-85ff-410b-801a-c494d49b9665';
const SYMLINK_THEN_LOG_READ = 'indicator--150700bf-01e3-4f3e-ac89-4186d1df676c';
const LN_SYMLINK = 'indicator--0eeed710-1bfa-4afc-83a4-f1dfe39334b0';

const modelIds = new Set(
  (JSON.parse(readFileSync(exampleModel, 'utf8')) as { objects: { id: string }[] }).objects.map((o) => o.id),
);
/** The example model's indicators the recording sights. */
const sightedIndicators = Object.keys(
  JSON.parse(readFileSync(join(recordingDir, 'expected-sightings.json'), 'utf8')) as Record<string, unknown>,
).filter((id) => modelIds.has(id));

type LogFile = 'audit.log' | 'tetragon.log';
/** Recording lines `from`..`to` of one file, appended in one go. */
type Chunk = readonly [file: LogFile, from: number, to: number];

/**
 * Before the kill: the hostPath PersistentVolume (audit 285) and the ln -s with its symlink (tetragon
 * 692–693), first halves of the two FOLLOWEDBY indicators; in flight at the kill: the pod mounting the claim
 * (audit 289), the second half of one. After the restart: the ln's exit (tetragon 694), a third match of the
 * ln -s sighting opened before the kill, and the pod log read (audit 441), the second half of the other.
 */
const phases = {
  /** Run 1, stopped with SIGTERM: its checkpoints are saved. */
  clean: [
    ['audit.log', 1, 200],
    ['tetragon.log', 1, 430],
  ],
  /** Run 2, no checkpoint saved (an hour between saves), state saved at every flush, then SIGKILL. */
  killed: [
    ['audit.log', 201, 287],
    ['tetragon.log', 431, 693],
  ],
  /** Appended to run 2 just before the kill, not waited for: read, half read or not read at all. */
  inFlight: ['audit.log', 288, 330],
  /** Run 3, after the restart, stopped with SIGTERM. */
  rest: [
    ['tetragon.log', 694, 735],
    ['audit.log', 331, 681],
    ['tetragon.log', 736, 1191],
  ],
} satisfies Record<string, readonly Chunk[] | Chunk>;

const stateFileSchema = z.looseObject({
  positions: z.array(
    z.object({
      source: z.string(),
      files: z.array(z.object({ fingerprint: z.string(), offset: z.number() })),
    }),
  ),
  partialMatches: z.array(z.looseObject({ indicatorId: z.string() })),
  sightings: z.array(z.looseObject({ indicatorId: z.string(), count: z.number() })),
});
const checkpointFileSchema = z.looseObject({
  source: z.string(),
  positions: z.array(z.object({ offset: z.number() })),
});

interface Workspace {
  readonly dir: string;
  readonly stateDir: string;
  path(file: LogFile): string;
  args: readonly string[];
}

async function workspace(): Promise<Workspace> {
  const dir = await tempDir();
  const stateDir = join(dir, 'state');
  const path = (file: LogFile): string => join(dir, file);
  await writeFile(path('audit.log'), '');
  await writeFile(path('tetragon.log'), '');
  const args = [
    ...['--tail', path('tetragon.log'), '--tail', path('audit.log'), '--tail-start-at', 'beginning'],
    ...['--state-dir', stateDir, '--indicators', exampleModel, '--no-http'],
    // State saved at every flush, checkpoints (almost) never: lines after the last checkpoint are certain.
    ...['--flush-interval-ms', '100', '--checkpoint-interval-ms', '3600000', '--shutdown-grace-ms', '20000'],
  ];
  return { dir, stateDir, path, args };
}

async function readState(ws: Workspace): Promise<z.infer<typeof stateFileSchema> | undefined> {
  const text = await readFile(join(ws.stateDir, 'pipeline-state.json'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : stateFileSchema.parse(JSON.parse(text));
}

/** The offset the saved pipeline state reflects in a tailed file (one file, never rotated here). */
async function stateOffset(ws: Workspace, file: LogFile): Promise<number> {
  const source = (await readState(ws))?.positions.find((p) => p.source === `tail:${ws.path(file)}`);
  return Math.max(0, ...(source?.files.map((f) => f.offset) ?? []));
}

/** Waits until the daemon has observed every line of `file` and saved a state that reflects them. */
async function untilStateCovers(ws: Workspace, file: LogFile, child: Child): Promise<void> {
  const size = (await stat(ws.path(file))).size;
  const deadline = Date.now() + 60_000;
  while ((await stateOffset(ws, file)) < size) {
    if (child.process.exitCode !== null) throw new Error(`The daemon exited while ${file} was read.`);
    if (Date.now() > deadline) throw new Error(`The pipeline state never reached the end of ${file}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Appends each chunk and waits until it is in the state: the same order of lines in every run. */
async function feed(ws: Workspace, child: Child, chunks: readonly Chunk[]): Promise<void> {
  for (const [file, from, to] of chunks) {
    await appendFile(ws.path(file), await recordingLines(file, from, to));
    await untilStateCovers(ws, file, child);
  }
}

async function started(args: readonly string[], env: Record<string, string>): Promise<Child> {
  const child = spawnRun(args, env);
  await child.until((lines) => lines.some((l) => l.code === 'DAEMON_STARTED'), 'the start');
  return child;
}

async function stopped(child: Child): Promise<void> {
  child.process.kill('SIGTERM');
  assert.deepEqual(await child.exit, { code: 0, signal: null });
}

interface SightingLine extends LogLine {
  readonly sighting: { readonly id: string; readonly count: number };
}

/** The latest count of every sighting id printed on stdout. */
function stdoutCounts(lines: readonly LogLine[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines.filter((l): l is SightingLine => l.kind === 'sighting'))
    counts.set(line.sighting.id, Math.max(counts.get(line.sighting.id) ?? 0, line.sighting.count));
  return counts;
}

/** The sighting ids of each indicator, to say which indicators a difference concerns. */
function indicatorsOf(lines: readonly LogLine[]): Map<string, string> {
  return new Map(
    lines
      .filter((l): l is SightingLine => l.kind === 'sighting')
      .map((l) => [l.sighting.id, String(l.indicator_id)]),
  );
}

let server: RestartableNeo4j;
let driver: Driver;
let env: Record<string, string>;

before(async () => {
  server = await startRestartableNeo4j();
  env = { ...server.env };
  const credentials = readNeo4jCredentials(env);
  assert.ok(credentials !== undefined);
  driver = createDriver(credentials);
  const io = memoryIO('', env);
  assert.equal(await main(['load', exampleModel], io), 0, io.err());
});
after(async () => {
  await driver.close();
  await server.dispose();
});

async function storedCounts(): Promise<Map<string, number>> {
  const credentials = readNeo4jCredentials(env);
  assert.ok(credentials !== undefined);
  const result = await driver.executeQuery(
    'MATCH (s:Sighting) RETURN s.id AS id, s.count AS count',
    {},
    sessionConfig(credentials, 'READ'),
  );
  return new Map(result.records.map((r) => [r.get('id') as string, r.get('count') as number]));
}

test('matcher run killed with SIGKILL between the halves of two FOLLOWEDBY attacks, then restarted: Neo4j holds every sighting of an uninterrupted run, with the same count', async () => {
  // The reference: the same command and the same chunks in the same order, never interrupted (stdout only).
  const reference = await workspace();
  const whole = await started(reference.args, {});
  await feed(reference, whole, [...phases.clean, ...phases.killed, phases.inFlight, ...phases.rest]);
  await stopped(whole);
  const expected = stdoutCounts(whole.lines());
  const indicatorOf = indicatorsOf(whole.lines());
  const sighted = new Set(indicatorOf.values());
  assert.deepEqual(
    sightedIndicators.filter((id) => !sighted.has(id)),
    [],
    'the reference sights every indicator the recording should',
  );

  const ws = await workspace();
  const first = await started(ws.args, env);
  await feed(ws, first, phases.clean);
  await stopped(first);

  const second = await started(ws.args, env);
  await feed(ws, second, phases.killed);
  assert.ok((await storedCounts()).size > 0, 'sightings were written before the kill');
  const [file, from, to] = phases.inFlight;
  await appendFile(ws.path(file), await recordingLines(file, from, to));
  second.process.kill('SIGKILL');
  assert.deepEqual(await second.exit, { code: null, signal: 'SIGKILL' });

  // What the kill left: the first halves kept in the state, and checkpoints behind the state's positions.
  const state = await readState(ws);
  assert.ok(state !== undefined);
  const partial = new Set(state.partialMatches.map((p) => p.indicatorId));
  assert.ok(partial.has(VOLUME_THEN_POD) && partial.has(SYMLINK_THEN_LOG_READ), [...partial].join(', '));
  assert.deepEqual(
    state.sightings.filter((s) => s.indicatorId === LN_SYMLINK).map((s) => s.count),
    [2],
    'the ln -s sighting is open with two of its three matches',
  );
  const checkpoints = join(ws.stateDir, 'checkpoints');
  let behind = 0;
  for (const name of await readdir(checkpoints)) {
    const checkpoint = checkpointFileSchema.parse(
      JSON.parse(await readFile(join(checkpoints, name), 'utf8')),
    );
    const saved = Math.max(0, ...checkpoint.positions.map((p) => p.offset));
    const reflected = state.positions.find((p) => p.source === checkpoint.source)?.files[0]?.offset ?? 0;
    assert.ok(
      saved <= reflected,
      `${checkpoint.source}: checkpoint ${saved} ahead of the state ${reflected}`,
    );
    if (saved < reflected) behind += 1;
  }
  assert.equal(behind, 2, 'both files have lines after their checkpoint that the state already holds');

  const third = await started(ws.args, env);
  // The in-flight lines the state may not hold are read again first, as in the reference.
  await untilStateCovers(ws, file, third);
  await feed(ws, third, phases.rest);
  await stopped(third);
  const stored = await storedCounts();
  const differences = [...new Set([...expected.keys(), ...stored.keys()])]
    .filter((id) => expected.get(id) !== stored.get(id))
    .map(
      (id) =>
        `${indicatorOf.get(id) ?? '?'} ${id}: expected ${String(expected.get(id))}, stored ${String(stored.get(id))}`,
    );
  assert.deepEqual(differences, []);
  assert.deepEqual(stored, expected);
  for (const id of [VOLUME_THEN_POD, SYMLINK_THEN_LOG_READ]) {
    assert.ok(
      [...stored.keys()].some((s) => indicatorOf.get(s) === id),
      `${id} completed after the restart`,
    );
  }
  const replayed = third
    .lines()
    .filter((l) => l.code === 'LINES_REPLAYED')
    .reduce((sum, l) => sum + Number(l.lines), 0);
  const killedLines = phases.killed.reduce((sum, [, a, b]) => sum + b - a + 1, 0);
  assert.ok(replayed >= killedLines, `${replayed} lines dropped as already in the state, of ${killedLines}`);

  await rm(reference.dir, { recursive: true, force: true });
  await rm(ws.dir, { recursive: true, force: true });
});
