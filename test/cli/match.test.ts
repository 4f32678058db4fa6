import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../helpers/io.js';

const bundle = {
  type: 'bundle',
  id: 'bundle--2f6c0f4e-1b0e-4a43-9a4d-8f2b1c3d4e5f',
  objects: [
    {
      type: 'observed-data',
      spec_version: '2.1',
      id: 'observed-data--9e0a4f5c-6b7d-4e8f-9a0b-1c2d3e4f5a6b',
      created: '2026-11-28T10:00:00Z',
      modified: '2026-11-28T10:00:00Z',
      first_observed: '2026-11-28T10:00:00Z',
      last_observed: '2026-11-28T10:00:00Z',
      number_observed: 1,
      object_refs: ['ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd'],
    },
    {
      type: 'ipv4-addr',
      spec_version: '2.1',
      id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd',
      value: '10.0.0.7',
    },
  ],
};

async function observationsFile(content: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'matcher-match-')), 'observations.json');
  await writeFile(file, JSON.stringify(content));
  return file;
}

test('match prints whether the pattern matches the observations', async () => {
  const file = await observationsFile([bundle]);
  const yes = memoryIO();
  assert.equal(await main(['match', '--pattern', "[ipv4-addr:value ISSUBSET '10.0.0.0/8']", file], yes), 0);
  assert.deepEqual(JSON.parse(yes.out()), { matched: true });
  const no = memoryIO();
  assert.equal(await main(['match', '--pattern', "[ipv4-addr:value = '10.0.0.8']", file], no), 0);
  assert.deepEqual(JSON.parse(no.out()), { matched: false });
});

test('match reads observations from stdin with -', async () => {
  const io = memoryIO(JSON.stringify([bundle]));
  assert.equal(await main(['match', '--pattern', "[ipv4-addr:value = '10.0.0.7']", '-'], io), 0);
  assert.deepEqual(JSON.parse(io.out()), { matched: true });
});

test('a bad pattern or bad observations exit 1 with the reason', async () => {
  const file = await observationsFile([bundle]);
  const badPattern = memoryIO();
  assert.equal(await main(['match', '--pattern', '[ipv4-addr:value = ]', file], badPattern), 1);
  assert.match(badPattern.err(), /column \d+/);
  const badInput = memoryIO();
  assert.equal(
    await main(
      ['match', '--pattern', "[ipv4-addr:value = 'x']", await observationsFile({ no: 'list' })],
      badInput,
    ),
    1,
  );
  assert.match(badInput.err(), /must be a JSON list/);
});

test('a missing --pattern is a usage error', async () => {
  const io = memoryIO();
  assert.equal(await main(['match', await observationsFile([bundle])], io), 2);
  assert.match(io.err(), /--pattern/);
});
