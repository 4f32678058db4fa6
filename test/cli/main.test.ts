import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { commands } from '../../src/cli/commands.js';
import { memoryIO } from '../helpers/io.js';

test('help lists every command', async () => {
  const io = memoryIO();
  assert.equal(await main(['--help'], io), 0);
  for (const command of commands) assert.match(io.out(), new RegExp(`\\b${command.name}\\b`));
  assert.match(io.out(), /Usage: matcher <command>/);
});

test('no command is a usage error', async () => {
  const io = memoryIO();
  assert.equal(await main([], io), 2);
});

test('an unknown command names itself and exits 2', async () => {
  const io = memoryIO();
  assert.equal(await main(['frobnicate'], io), 2);
  assert.match(io.err(), /unknown command 'frobnicate'/);
});
