import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../helpers/io.js';
import { tempDir } from './harness.js';

test('matcher run refuses to start on a pipeline state file it cannot use, naming the file (exit 2)', async () => {
  const stateDir = join(await tempDir(), 'state');
  await mkdir(stateDir, { recursive: true });
  const path = join(stateDir, 'pipeline-state.json');
  await writeFile(path, '{"version": 1, "savedAt": "2026-11-28T10:00:00Z", "positions": [');
  const io = memoryIO();
  const code = await main(['run', '--stdin', '--no-http', '--state-dir', stateDir], io);
  assert.equal(code, 2, io.err());
  assert.match(io.err(), new RegExp(`^matcher run: Pipeline state file ${path} is not JSON`));
  assert.match(io.err(), /Fix or remove it/);
  assert.doesNotMatch(io.out(), /DAEMON_STARTED/, 'it never started reading');
});
