import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appendFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseExposition, sampleValue } from '../server/exposition.js';
import { exampleModel, recordingLines, sightingsOf, startTestDaemon, tempDir } from './harness.js';

interface Indicator {
  readonly id: string;
  readonly type: string;
  readonly modified?: string;
  readonly [key: string]: unknown;
}

const model = JSON.parse(readFileSync(exampleModel, 'utf8')) as { objects: Indicator[] };
function indicator(id: string): Indicator {
  const found = model.objects.find((o) => o.id === id);
  assert.ok(found !== undefined, id);
  return found;
}
/** Sights tetragon.log lines 449 and 757 (a login shell, and its exit), at one place. */
const shell = indicator('indicator--dd3a9f0d-591e-4bb2-90b5-6fca28c3fcc9');
/** Sights tetragon.log lines 736, 737 and 740. */
const kubectlLogs = indicator('indicator--151cd50c-e7d5-4a9a-a133-1c3cdd3385c2');
const broken: Indicator = {
  ...kubectlLogs,
  id: 'indicator--0b0b0b0b-0000-4000-8000-000000000001',
  name: 'Broken pattern',
  pattern: "[process:name = 'x' AND]",
};

/** Replaces the bundle in one rename, as an editor or a ConfigMap update does. */
async function writeBundle(path: string, objects: readonly Indicator[]): Promise<void> {
  const bundle = { type: 'bundle', id: 'bundle--6a3f4c1e-0000-4000-8000-000000000001', objects };
  await writeFile(`${path}.tmp`, JSON.stringify(bundle));
  await rename(`${path}.tmp`, path);
}

type Samples = ReturnType<typeof parseExposition>;

async function metrics(port: number): Promise<Samples> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  return parseExposition(await response.text());
}

function total(samples: Samples, name: string): number {
  return samples.filter((s) => s.name === name).reduce((sum, s) => sum + s.value, 0);
}

/** Scrapes until `predicate` holds; fails after 20 s. */
async function metricsWhen(
  port: number,
  predicate: (samples: Samples) => boolean,
  what: string,
): Promise<Samples> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const samples = await metrics(port);
    if (predicate(samples)) return samples;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const processed = (samples: Samples): number =>
  total(samples, 'matcher_events_total') + total(samples, 'matcher_lines_skipped_total');

test('an indicator file edited while the daemon runs: new starts, revoked stops, broken reported once', async () => {
  const dir = await tempDir();
  const bundle = join(dir, 'indicators.json');
  const log = join(dir, 'tetragon.log');
  await writeBundle(bundle, [shell]);
  await writeFile(log, '');
  const running = await startTestDaemon([
    ...['--tail', log, '--tail-start-at', 'beginning', '--state-dir', join(dir, 'state')],
    ...['--indicators', bundle, '--indicator-refresh-interval-ms', '100', '--flush-interval-ms', '20'],
    ...['--http-host', '127.0.0.1', '--http-port', '0', '--log-level', 'debug'],
  ]);
  const port = running.daemon.httpAddress?.port ?? 0;
  try {
    assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
    await appendFile(log, await recordingLines('tetragon.log', 1, 600));
    await running.until((lines) => sightingsOf(lines, shell.id).length === 1, 'the shell sighting');
    const before = await metricsWhen(port, (m) => processed(m) === 600, 'the first 600 lines');
    assert.equal(sampleValue(before, 'matcher_matches_total', { indicator: shell.id }), 1);
    assert.equal(sampleValue(before, 'matcher_sightings_total', { indicator: shell.id }), 1);
    assert.equal(sampleValue(before, 'matcher_indicators_loaded'), 1);
    assert.equal(sampleValue(before, 'matcher_source_lines_read_total', { source: `tail:${log}` }), 600);
    assert.ok(total(before, 'matcher_events_total') > 0);
    assert.ok(Number.isFinite(sampleValue(before, 'matcher_event_lag_seconds')));
    // The engine and the aggregator the pipeline runs are the ones /metrics reports.
    assert.ok((sampleValue(before, 'matcher_engine_evaluations_total') ?? 0) >= 1);
    assert.ok((sampleValue(before, 'matcher_engine_leaf_tests_total') ?? 0) >= 1);
    assert.equal(sampleValue(before, 'matcher_sightings_open'), 1);
    assert.equal(sampleValue(before, 'matcher_sightings_evicted_total'), 0);

    const revoked = { ...shell, modified: '2030-01-01T00:00:00.000Z', revoked: true };
    await writeBundle(bundle, [revoked, kubectlLogs, broken]);
    await running.until(
      (lines) => lines.some((l) => l.code === 'INDICATORS_CHANGED' && l.msg === 'Indicator set changed.'),
      'the indicator set change',
    );
    await appendFile(log, await recordingLines('tetragon.log', 601, 1191));
    await running.until((lines) => sightingsOf(lines, kubectlLogs.id).length > 0, 'the new indicator');
    const refreshes = sampleValue(await metrics(port), 'matcher_indicator_refreshes_total', {
      result: 'unchanged',
    });
    // Several more refreshes of the same set, so that a repeated report of the broken one would show.
    const after = await metricsWhen(
      port,
      (m) =>
        processed(m) === 1191 &&
        (sampleValue(m, 'matcher_indicator_refreshes_total', { result: 'unchanged' }) ?? 0) >=
          (refreshes ?? 0) + 3,
      'every line and three more refreshes',
    );
    assert.equal(sampleValue(after, 'matcher_indicators_loaded'), 1);
    assert.equal(sampleValue(after, 'matcher_indicators_rejected', { reason: 'invalid-pattern' }), 1);
    assert.equal(sampleValue(after, 'matcher_indicators_rejected', { reason: 'revoked' }), 1);
    assert.equal(sampleValue(after, 'matcher_source_lines_read_total', { source: `tail:${log}` }), 1191);
  } finally {
    assert.equal(await running.daemon.stop('test'), 0);
  }
  const lines = running.lines();
  const brokenReports = lines.filter((l) => l.code === 'INDICATOR_REJECTED' && l.id === broken.id);
  assert.equal(brokenReports.length, 1);
  assert.equal(brokenReports[0]?.reason, 'invalid-pattern');
  // Line 757 would have updated the shell sighting to count 2, had the revocation not taken effect.
  assert.deepEqual(
    sightingsOf(lines, shell.id).map((l) => l.count),
    [1],
  );
  assert.equal(sightingsOf(lines, kubectlLogs.id).at(-1)?.count, 3);
});
