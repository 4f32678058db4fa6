import assert from 'node:assert/strict';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { linesReadWhen, spawnRun } from '../daemon/child.js';
import { recordingLines, sightingsOf, tempDir } from '../daemon/harness.js';
import { memoryIO } from '../helpers/io.js';

const shellIndicator = 'indicator--dd3a9f0d-591e-4bb2-90b5-6fca28c3fcc9';

test('SIGTERM: sightings on stdout, clean exit 0, checkpoints saved; a restart reads nothing twice', async () => {
  const dir = await tempDir();
  const log = join(dir, 'tetragon.log');
  const state = join(dir, 'state');
  await writeFile(log, await recordingLines('tetragon.log', 1, 600));
  const args = [
    ...['--tail', log, '--tail-start-at', 'beginning', '--state-dir', state],
    ...[
      '--http-host',
      '127.0.0.1',
      '--http-port',
      '0',
      '--flush-interval-ms',
      '50',
      '--shutdown-grace-ms',
      '8000',
    ],
  ];
  const source = `tail:${log}`;
  const first = spawnRun(args);
  await first.until((lines) => sightingsOf(lines, shellIndicator).length === 1, 'the first sighting');
  await appendFile(log, await recordingLines('tetragon.log', 601, 1191));
  await linesReadWhen(first, source, 1191);
  first.process.kill('SIGTERM');
  assert.deepEqual(await first.exit, { code: 0, signal: null });
  const lines = first.lines();
  assert.deepEqual(
    sightingsOf(lines, shellIndicator).map((l) => l.count),
    [1, 2],
  );
  assert.ok(lines.some((l) => l.code === 'DAEMON_STOPPED' && l.exitCode === 0));
  const checkpoints = await readdir(join(state, 'checkpoints'));
  assert.equal(checkpoints.length, 1);
  const saved = JSON.parse(await readFile(join(state, 'checkpoints', checkpoints[0] ?? ''), 'utf8')) as {
    positions: { offset: number; line: number }[];
  };
  assert.deepEqual(
    saved.positions.map((p) => [p.offset, p.line]),
    [[(await stat(log)).size, 1191]],
  );

  const second = spawnRun(args);
  await second.until((l) => l.some((x) => x.code === 'DAEMON_STARTED'), 'the restart');
  await appendFile(log, await recordingLines('tetragon.log', 436, 436));
  await linesReadWhen(second, source, 1);
  second.process.kill('SIGTERM');
  assert.deepEqual(await second.exit, { code: 0, signal: null });
  // Line 436 sights the inbound SSH connection again; nothing of the first run comes back.
  const again = second.lines().filter((l) => l.kind === 'sighting');
  assert.deepEqual(
    again.map((l) => l.indicator_id),
    ['indicator--2cee2e1a-95cd-489f-9d0b-96cb5a056c28'],
  );
});

test('a bad setting stops start-up with exit 2 and names it', async () => {
  const io = memoryIO('', { MATCHER_HTTP_PORT: 'ninety' });
  assert.equal(await main(['run', '--stdin'], io), 2);
  assert.match(io.err(), /^matcher run: MATCHER_HTTP_PORT: expected a whole number/m);
});

test('no source is exit 2 with how to configure one', async () => {
  const io = memoryIO();
  assert.equal(await main(['run'], io), 2);
  assert.match(io.err(), /No source configured: give at least one of --tail <path> \(MATCHER_TAIL_PATHS\)/);
});

test('an unreadable indicators file is exit 1 with its reason', async () => {
  const dir = await tempDir();
  const io = memoryIO();
  const code = await main(
    [
      'run',
      '--tail',
      join(dir, 'x.log'),
      '--no-http',
      '--indicators',
      join(dir, 'missing.json'),
      '--state-dir',
      dir,
    ],
    io,
  );
  assert.equal(code, 1);
  assert.match(io.out(), /INDICATORS_LOAD_FAILED/);
  assert.match(io.err(), /Cannot read the indicators/);
});
