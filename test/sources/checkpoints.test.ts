import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError, CheckpointStore } from '../../src/sources/checkpoints.js';
import { tempDir } from './helpers.js';

test('a missing checkpoint file gives an empty store, and creates its directory', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const store = await CheckpointStore.load(join(dir, 'nested', 'state', 'cp.json'), 'tail');
  assert.equal(store.isEmpty, true);
  assert.equal(store.latest(), undefined);
  assert.deepEqual(await readdir(join(dir, 'nested', 'state')), []);
});

test('positions only move forward, and the latest is the last one moved', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const store = await CheckpointStore.load(join(dir, 'cp.json'), 'tail');
  assert.equal(store.commit('aaa', 100, 5, '/log/a'), true);
  assert.equal(store.commit('bbb', 10, 1), true);
  assert.equal(store.commit('aaa', 50, 3), false);
  assert.equal(store.get('aaa')?.offset, 100);
  assert.equal(store.latest()?.fingerprint, 'bbb');
  assert.equal(store.commit('aaa', 120, 6), true);
  assert.equal(store.latest()?.fingerprint, 'aaa');
});

test('saves versioned JSON through a temp file, and loads it back', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'cp.json');
  const store = await CheckpointStore.load(path, 'tail');
  store.commit('aaa', 100, 5, '/log/a');
  assert.equal(store.dirty, true);
  await store.save();
  assert.equal(store.dirty, false);
  assert.deepEqual(await readdir(dir), ['cp.json']);
  const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  assert.equal(json.version, 1);
  assert.equal(json.source, 'tail');
  const again = await CheckpointStore.load(path, 'tail');
  assert.deepEqual(
    [again.get('aaa')?.offset, again.get('aaa')?.line, again.get('aaa')?.path],
    [100, 5, '/log/a'],
  );
});

test('a save with nothing new leaves the file alone', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'cp.json');
  const store = await CheckpointStore.load(path, 'tail');
  await store.save();
  assert.deepEqual(await readdir(dir), []);
});

test('keeps only the most recent positions', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'cp.json');
  const store = await CheckpointStore.load(path, 'tail');
  for (let i = 0; i < 40; i++) store.commit(`fp${i}`, i + 1, 1);
  await store.save();
  const again = await CheckpointStore.load(path, 'tail');
  assert.equal(again.get('fp0'), undefined);
  assert.equal(again.get('fp39')?.offset, 40);
  assert.equal(again.get('fp8')?.offset, 9);
});

test('an unusable checkpoint file is an error that names it, never a silent fresh start', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const cases = ['not json', '{"version":2,"source":"tail","positions":[]}', '{"version":1,"source":"tail"}'];
  for (const [index, text] of cases.entries()) {
    const path = join(dir, `cp${index}.json`);
    await writeFile(path, text);
    await assert.rejects(CheckpointStore.load(path, 'tail'), (error: unknown) => {
      assert.ok(error instanceof CheckpointError);
      assert.ok(error.message.includes(path));
      return true;
    });
  }
});
