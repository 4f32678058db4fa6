import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appendFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { sessionConfig } from '../../src/neo4j/index.js';
import { linesReadWhen, spawnRun } from '../daemon/child.js';
import { exampleModel, recordingDir, recordingLines, tempDir, type LogLine } from '../daemon/harness.js';
import { memoryIO } from '../helpers/io.js';
import { testCredentials, testDriver, testEnv } from './neo4j-env.js';

const modelIds = new Set(
  (JSON.parse(readFileSync(exampleModel, 'utf8')) as { objects: { id: string }[] }).objects.map((o) => o.id),
);
/** The indicators of the example model the recording sights (the file also lists upstream-model ids). */
const expected = Object.keys(
  JSON.parse(readFileSync(join(recordingDir, 'expected-sightings.json'), 'utf8')) as Record<string, unknown>,
)
  .filter((id) => modelIds.has(id))
  .sort();

interface SightingLine extends LogLine {
  readonly msg: string;
  readonly indicator_id: string;
  readonly sighting: { readonly id: string; readonly count: number };
}

function sightingLines(lines: readonly LogLine[]): SightingLine[] {
  return lines.filter((l): l is SightingLine => l.kind === 'sighting');
}

function missing(lines: readonly SightingLine[]): string[] {
  const sighted = new Set(lines.map((s) => s.indicator_id));
  return expected.filter((id) => !sighted.has(id));
}

/** The latest count of each sighting id, as written on stdout. */
function latestCounts(lines: readonly SightingLine[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines)
    counts.set(line.sighting.id, Math.max(counts.get(line.sighting.id) ?? 0, line.sighting.count));
  return counts;
}

test('matcher run with Neo4j: a tailed file appended and rotated halfway; every sighting in Neo4j and on stdout once', async () => {
  const env = testEnv();
  const io = memoryIO('', env);
  assert.equal(await main(['load', exampleModel], io), 0, io.err());
  const dir = await tempDir();
  const tetragon = join(dir, 'tetragon.log');
  const audit = join(dir, 'audit.log');
  await writeFile(tetragon, '');
  await writeFile(audit, '');
  const args = [
    ...[
      '--tail',
      tetragon,
      '--tail',
      audit,
      '--tail-start-at',
      'beginning',
      '--state-dir',
      join(dir, 'state'),
    ],
    ...[
      '--http-host',
      '127.0.0.1',
      '--http-port',
      '0',
      '--flush-interval-ms',
      '100',
      '--shutdown-grace-ms',
      '10000',
    ],
  ];
  const first = spawnRun(args, env);
  await first.until((l) => l.some((x) => x.code === 'DAEMON_STARTED'), 'the start');
  assert.ok(first.lines().some((l) => l.code === 'INDICATORS_CHANGED' && l.provider === 'neo4j'));
  await appendFile(audit, await recordingLines('audit.log', 1, 681));
  await appendFile(tetragon, await recordingLines('tetragon.log', 1, 600));
  await linesReadWhen(first, `tail:${tetragon}`, 600);
  // Rotation by rename, as Tetragon does at 10 MB: the rest goes to a new file at the same path.
  await rename(tetragon, `${tetragon}.1`);
  await writeFile(tetragon, await recordingLines('tetragon.log', 601, 1191));
  await linesReadWhen(first, `tail:${tetragon}`, 1191);
  await linesReadWhen(first, `tail:${audit}`, 681);
  await first.until((l) => missing(sightingLines(l)).length === 0, 'a sighting of every expected indicator');
  first.process.kill('SIGTERM');
  // Exit code 0: every shutdown step finished within --shutdown-grace-ms (10 s); past it the code is 1.
  assert.deepEqual(await first.exit, { code: 0, signal: null });

  const sightings = sightingLines(first.lines());
  // Other tests may have loaded more indicators into the shared database; these must all be there.
  assert.deepEqual(missing(sightings), []);
  const opened = sightings.filter((s) => s.msg === 'Sighting.').map((s) => s.sighting.id);
  assert.equal(new Set(opened).size, opened.length, 'each sighting opened once on stdout');
  const counts = latestCounts(sightings);

  const credentials = testCredentials();
  const driver = testDriver(credentials);
  try {
    const stored = async (): Promise<Map<string, number>> => {
      const result = await driver.executeQuery(
        'MATCH (s:Sighting) WHERE s.id IN $ids RETURN s.id AS id, s.count AS count',
        { ids: [...counts.keys()] },
        sessionConfig(credentials, 'READ'),
      );
      return new Map(result.records.map((r) => [r.get('id') as string, r.get('count') as number]));
    };
    assert.deepEqual(await stored(), counts);
    const checkpoints = await readdir(join(dir, 'state', 'checkpoints'));
    assert.equal(checkpoints.length, 2);

    const second = spawnRun(args, env);
    await second.until((l) => l.some((x) => x.code === 'DAEMON_STARTED'), 'the restart');
    // A line no indicator sights: read once, and nothing of the first run read again.
    await appendFile(tetragon, await recordingLines('tetragon.log', 1, 1));
    await linesReadWhen(second, `tail:${tetragon}`, 1);
    await linesReadWhen(second, `tail:${audit}`, 0);
    second.process.kill('SIGTERM');
    assert.deepEqual(await second.exit, { code: 0, signal: null });
    assert.deepEqual(sightingLines(second.lines()), []);
    assert.deepEqual(await stored(), counts);
  } finally {
    await driver.close();
  }
});
