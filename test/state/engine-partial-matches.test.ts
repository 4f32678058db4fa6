import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observation } from '../../src/contracts.js';
import {
  activateIndicator,
  Engine,
  engineConfigSchema,
  type ActiveIndicator,
  type IndicatorSource,
} from '../../src/engine/index.js';
import { processObservation } from '../helpers/observation.js';
import { throughStateFile } from '../helpers/state-file.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');
const config = engineConfigSchema.parse({});

function indicator(id: string, pattern: string): ActiveIndicator {
  const source: IndicatorSource = {
    id,
    pattern,
    pattern_type: 'stix',
    valid_from: '2020-01-01T00:00:00Z',
  };
  const active = activateIndicator(source);
  if ('reason' in active) throw new Error(active.message);
  return active;
}

const symlinkThenRead = indicator(
  'indicator--150700bf-01e3-4f3e-ac89-4186d1df676c',
  "[process:command_line = 'ln -s /root/.ssh/id_rsa /var/log/x'] FOLLOWEDBY [process:command_line = 'kubectl logs x'] WITHIN 300 SECONDS",
);
/** Three `[ … ]`: matched by the batch oracle, not by the counting shapes. */
const threeSteps = indicator(
  'indicator--0b5a4b6c-4d0e-4a59-9a53-3c1f7f1e7a11',
  "([process:command_line = 'ln -s /root/.ssh/id_rsa /var/log/x'] FOLLOWEDBY [process:command_line = 'ls /var/log']) FOLLOWEDBY [process:command_line = 'kubectl logs x']",
);
const indicators = [symlinkThenRead, threeSteps];

function event(seconds: number, commandLine: string, pid: number): Observation {
  return processObservation({ time: T0 + seconds * 1000, commandLine, pid });
}

const stream: Observation[] = [
  event(0, 'ln -s /root/.ssh/id_rsa /var/log/x', 1),
  event(10, 'ls /var/log', 2),
  event(20, 'ln -s /root/.ssh/id_rsa /var/log/x', 3),
  event(30, 'kubectl logs x', 4),
  event(40, 'ls /var/log', 5),
  event(50, 'kubectl logs x', 6),
  event(400, 'kubectl logs x', 7),
];

/** The matches as ids: which indicator, with which observations. */
function run(engine: Engine, observations: readonly Observation[]): string[] {
  return observations.flatMap((o) =>
    engine
      .process(o)
      .map((m) => `${m.indicatorId} ${m.observations.map((x) => x.observedData.id).join(' ')}`),
  );
}

test('partial matches restored from the state file complete as if the process had never stopped', () => {
  const expected = run(new Engine(indicators, config), stream);
  assert.ok(expected.length >= 4, 'the stream completes both patterns several times');
  for (let cut = 1; cut < stream.length; cut += 1) {
    const before = new Engine(indicators, config);
    const first = run(before, stream.slice(0, cut));
    const after = new Engine(indicators, config);
    const saved = throughStateFile({ partialMatches: before.snapshot() });
    after.restore(saved.partialMatches);
    assert.deepEqual([...first, ...run(after, stream.slice(cut))], expected, `cut after ${cut}`);
  }
});

test('the second half of a FOLLOWEDBY after a restart completes the match of the first half seen before it', () => {
  const [symlink, , , read] = stream;
  assert.ok(symlink !== undefined && read !== undefined);
  const before = new Engine([symlinkThenRead], config);
  assert.deepEqual(before.process(symlink), []);
  const saved = throughStateFile({ partialMatches: before.snapshot() });

  const fresh = new Engine([symlinkThenRead], config);
  assert.deepEqual(fresh.process(read), [], 'without the restored state the read alone matches nothing');

  const after = new Engine([symlinkThenRead], config);
  assert.deepEqual(after.restore(saved.partialMatches), { restored: 1, dropped: 0 });
  const [match, ...more] = after.process(read);
  assert.equal(more.length, 0);
  assert.equal(match?.indicatorId, symlinkThenRead.id);
  assert.deepEqual(
    match.observations.map((o) => o.observedData.id),
    [symlink.observedData.id, read.observedData.id],
  );
  assert.equal(after.stats().matches, 1, 'restoring looked for no match');
});

test('partial matches of an indicator that is gone or whose pattern changed are dropped; a swap keeps restored ones', () => {
  const before = new Engine(indicators, config);
  run(before, stream.slice(0, 2));
  const saved = throughStateFile({ partialMatches: before.snapshot() }).partialMatches;
  assert.equal(saved.length, 2);

  const changed = indicator(symlinkThenRead.id, symlinkThenRead.pattern.replace('300', '600'));
  const after = new Engine([changed], config);
  assert.deepEqual(after.restore(saved), { restored: 0, dropped: 2 });
  assert.equal(after.stats().partial, 0);

  const same = new Engine([symlinkThenRead], config);
  assert.deepEqual(same.restore(saved), { restored: 1, dropped: 1 });
  const swapped = same.withIndicators([symlinkThenRead, threeSteps]);
  const read = stream[3];
  assert.ok(read !== undefined);
  assert.equal(swapped.process(read).length, 1, 'the restored half survives an indicator refresh');
});
