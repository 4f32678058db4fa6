import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine, activateIndicator, engineConfigSchema } from '../../src/engine/index.js';
import { SightingAggregator, sightingsConfigSchema } from '../../src/sightings/index.js';
import {
  PipelineStateError,
  PipelineStateStore,
  pipelineStatePath,
  writeFileAtomically,
  type PipelineStateContent,
} from '../../src/state/index.js';
import { processObservation } from '../helpers/observation.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');

function stateDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'matcher-state-'));
}

/** A state with one open sighting and one partial match sharing an observation. */
function content(): PipelineStateContent {
  const active = activateIndicator({
    id: 'indicator--150700bf-01e3-4f3e-ac89-4186d1df676c',
    pattern: "[process:command_line = 'ln'] FOLLOWEDBY [process:command_line = 'kubectl logs']",
    pattern_type: 'stix',
    valid_from: '2020-01-01T00:00:00Z',
  });
  if ('reason' in active) throw new Error(active.message);
  const engine = new Engine([active], engineConfigSchema.parse({}));
  const observation = processObservation({ time: T0, commandLine: 'ln', context: { pod: 'p' } });
  engine.process(observation);
  const aggregator = new SightingAggregator(sightingsConfigSchema.parse({}), {
    clusterName: 'hc',
    reportOnOpen: true,
  });
  aggregator.record({ indicatorId: active.id, observations: [observation], time: T0 }, { id: active.id });
  return {
    watermarkMs: T0,
    positions: [{ source: 'tail:/x', files: [{ fingerprint: 'f1', offset: 120 }] }],
    sightings: aggregator.snapshot(),
    partialMatches: engine.snapshot(),
  };
}

test('no state file yet: nothing restored; a saved state loads back whole, each observation stored once', async () => {
  const path = pipelineStatePath(await stateDir());
  const empty = await PipelineStateStore.load(path);
  assert.equal(empty.restored, undefined);
  const saved = content();
  await empty.save(saved);

  const loaded = await PipelineStateStore.load(path);
  const restored = loaded.restored;
  assert.ok(restored !== undefined);
  assert.equal(restored.watermarkMs, T0);
  assert.deepEqual(restored.positions, saved.positions);
  assert.equal(restored.sightings[0]?.count, 1);
  assert.equal(restored.sightings.at(0)?.id, saved.sightings.at(0)?.id);
  const partial = restored.partialMatches.at(0);
  const sighting = restored.sightings.at(0);
  const original = saved.sightings.at(0);
  assert.ok(partial !== undefined && sighting !== undefined && original !== undefined);
  const kept = partial.kept.map((k) => k.observation);
  assert.equal(kept[0], sighting.latest[0], 'one observation, shared as before');
  assert.deepEqual(
    kept.map((o) => [...o.objects.keys()]),
    original.latest.map((o) => [...o.objects.keys()]),
  );
  const file = JSON.parse(await readFile(path, 'utf8')) as { observations: unknown[] };
  assert.equal(file.observations.length, 1);
  assert.equal(loaded.positions.isReplay({ source: 'tail:/x', fingerprint: 'f1', offset: 120 }), true);
});

test('a state file that cannot be used is an error that names it, never a silent fresh start', async () => {
  const dir = await stateDir();
  const path = pipelineStatePath(dir);
  const good = JSON.parse(
    await (async () => {
      const store = await PipelineStateStore.load(path);
      await store.save(content());
      return readFile(path, 'utf8');
    })(),
  ) as Record<string, unknown>;
  const cases: [string, string, RegExp][] = [
    ['cut short', JSON.stringify(good).slice(0, 200), /is not JSON/],
    ['another version', JSON.stringify({ ...good, version: 2 }), /not a version 1 state/],
    ['a field of the wrong type', JSON.stringify({ ...good, watermarkMs: 'soon' }), /watermarkMs/],
    [
      'a reference past the observation table',
      JSON.stringify({ ...good, observations: [] }),
      /inconsistent: .* refers to observation 0, but there are 0/,
    ],
  ];
  for (const [what, text, message] of cases) {
    await writeFile(path, text);
    await assert.rejects(
      PipelineStateStore.load(path),
      (error: unknown) =>
        error instanceof PipelineStateError &&
        error.message.includes(path) &&
        message.test(error.message) &&
        /Fix or remove it/.test(error.message),
      what,
    );
  }
});

test('a save serializes the state when called: later changes to the live objects are not in it', async () => {
  const path = pipelineStatePath(await stateDir());
  const store = await PipelineStateStore.load(path);
  const positions = [{ source: 'tail:/x', files: [{ fingerprint: 'f1', offset: 10 }] }];
  const saving = store.save({ ...content(), positions });
  positions[0]?.files.splice(0, 1, { fingerprint: 'f1', offset: 999 });
  await saving;
  const loaded = await PipelineStateStore.load(path);
  assert.deepEqual(loaded.restored?.positions, [
    { source: 'tail:/x', files: [{ fingerprint: 'f1', offset: 10 }] },
  ]);
});

test('an atomic write replaces the file whole and leaves no temp file; a failed one leaves the old file', async () => {
  const dir = await stateDir();
  const path = join(dir, 'state.json');
  await writeFileAtomically(path, 'old\n');
  await writeFileAtomically(path, 'new\n');
  assert.equal(await readFile(path, 'utf8'), 'new\n');
  assert.deepEqual(await readdir(dir), ['state.json']);

  // The rename cannot replace a non-empty directory: the write fails, its temp file goes.
  const blocked = join(dir, 'blocked');
  await mkdir(join(blocked, 'inside'), { recursive: true });
  await assert.rejects(writeFileAtomically(blocked, 'x'));
  assert.deepEqual((await readdir(dir)).sort(), ['blocked', 'state.json']);
  assert.equal(await readFile(path, 'utf8'), 'new\n');
});

test('temp files of writes a killed process left are removed at load; a running writer keeps its own', async () => {
  const dir = await stateDir();
  const path = pipelineStatePath(dir);
  // A pid no process has: one that has just exited.
  const exited = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
  const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
  try {
    const stale = `pipeline-state.json.${exited}.tmp`;
    const live = `pipeline-state.json.${running.pid ?? 0}.tmp`;
    const unrelated = 'pipeline-state.json.backup';
    for (const name of [stale, live, unrelated]) await writeFile(join(dir, name), 'half a state');
    const store = await PipelineStateStore.load(path);
    assert.equal(store.restored, undefined);
    assert.deepEqual((await readdir(dir)).sort(), [unrelated, live].sort());
  } finally {
    running.kill();
  }
});
