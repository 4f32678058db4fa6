import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import type { Observation, Origin, RawLine } from '../../src/contracts.js';
import { activateIndicator, Engine, engineConfigSchema } from '../../src/engine/index.js';
import { runPipeline, type PipelineStats } from '../../src/pipeline.js';
import { SightingAggregator, sightingsConfigSchema } from '../../src/sightings/index.js';
import type { Source } from '../../src/sources/index.js';
import {
  ReflectedPositions,
  type PipelineStateContent,
  type PipelineStatePersistence,
} from '../../src/state/index.js';
import { processObservation } from '../helpers/observation.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');

const shell = activateIndicator({
  id: 'indicator--dd3a9f0d-591e-4bb2-90b5-6fca28c3fcc9',
  pattern: "[process:command_line = 'bash']",
  pattern_type: 'stix',
  valid_from: '2020-01-01T00:00:00Z',
});
if ('reason' in shell) throw new Error(shell.message);

/** Line i of the fake file: a bash started at T0 + i s, ending at offset 10 · i. */
function line(i: number): RawLine {
  return { text: String(i), origin: { source: 'tail:/x', fingerprint: 'f1', offset: 10 * i, line: i } };
}

/** A source that yields the given batches and records, with `events`, what it was told to commit. */
function source(batches: readonly RawLine[][], events: string[]): Source {
  return {
    id: 'tail:/x',
    async *batches() {
      for (const batch of batches) yield await Promise.resolve(batch);
    },
    commit(origin: Origin) {
      events.push(`commit ${String(origin.offset)}`);
    },
    stop: () => Promise.resolve(),
  };
}

function state(
  events: string[],
  options: { restored?: Partial<PipelineStateContent>; failures?: number } = {},
): PipelineStatePersistence & { saved: PipelineStateContent[] } {
  let failures = options.failures ?? 0;
  const restored =
    options.restored === undefined
      ? undefined
      : { watermarkMs: T0, positions: [], sightings: [], partialMatches: [], ...options.restored };
  const saved: PipelineStateContent[] = [];
  return {
    restored,
    positions: new ReflectedPositions(restored?.positions),
    saved,
    save(content) {
      if (failures > 0) {
        failures -= 1;
        events.push('save failed');
        return Promise.reject(new Error('disk full'));
      }
      events.push(`save ${String(content.positions[0]?.files[0]?.offset)}`);
      saved.push(
        structuredClone({
          ...content,
          sightings: content.sightings.map((s) => ({ ...s, pending: [], latest: [] })),
        }),
      );
      return Promise.resolve();
    },
  };
}

async function run(
  batches: readonly RawLine[][],
  events: string[],
  persistence: PipelineStatePersistence | undefined,
): Promise<{ stats: PipelineStats; observed: number[]; log: string; reported: string[] }> {
  const observed: number[] = [];
  /** What the pipeline told its telemetry of replays and failed saves. */
  const reported: string[] = [];
  const logStream = new PassThrough();
  let log = '';
  logStream.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const stats = await runPipeline({
    sources: [source(batches, events)],
    observer: {
      observeAll(raw): Observation[] {
        const i = Number(raw.text);
        observed.push(i);
        return [
          processObservation({ time: T0 + i * 1000, commandLine: 'bash', pid: i, context: { pod: 'p' } }),
        ];
      },
    },
    engine: () => engine,
    indicatorInfo: (id) => ({ id }),
    aggregator: new SightingAggregator(sightingsConfigSchema.parse({}), {
      clusterName: 'hc',
      reportOnOpen: true,
    }),
    outputs: [],
    logger: pino(logStream),
    latenessMs: 5_000,
    telemetry: {
      observed: () => undefined,
      skipped: () => undefined,
      matched: () => undefined,
      replayed: (origin) => reported.push(`replayed ${String(origin.offset)}`),
      stateSaveFailed: () => reported.push('save failed'),
    },
    ...(persistence === undefined ? {} : { state: persistence }),
  });
  return { stats, observed, log, reported };
}

const engine = new Engine([shell], engineConfigSchema.parse({}));

test('the state is saved before sources commit; when a save fails no source commits, and reading goes on', async () => {
  const events: string[] = [];
  const persistence = state(events, { failures: 1 });
  const { stats, observed, log, reported } = await run([[line(1), line(2)], [line(3)]], events, persistence);
  assert.deepEqual(observed, [1, 2, 3]);
  assert.deepEqual(events, ['save failed', 'save 30', 'commit 30']);
  assert.equal(stats.stateSaveFailures, 1);
  assert.deepEqual(reported, ['save failed']);
  assert.match(log, /"code":"STATE_SAVE_FAILED".*"error":"disk full"/);
});

test('lines the restored state already holds are dropped and counted; the rest are observed and saved', async () => {
  const events: string[] = [];
  const persistence = state(events, {
    restored: { positions: [{ source: 'tail:/x', files: [{ fingerprint: 'f1', offset: 20 }] }] },
  });
  const { stats, observed, log, reported } = await run(
    [[line(1), line(2), line(3)], [line(4)]],
    events,
    persistence,
  );
  assert.deepEqual(observed, [3, 4]);
  assert.equal(stats.replayed, 2);
  assert.deepEqual(reported, ['replayed 10', 'replayed 20']);
  assert.equal(stats.lines, 4);
  assert.deepEqual(events, ['save 30', 'commit 30', 'save 40', 'commit 40']);
  assert.match(log, /"code":"LINES_REPLAYED","lines":2,"total":2/);
});

test('with saved state the last flush keeps sightings open in it, so a restart goes on counting them', async () => {
  const events: string[] = [];
  const persistence = state(events);
  await run([[line(1)], [line(2)]], events, persistence);
  const last = persistence.saved.at(-1);
  assert.deepEqual(
    last?.sightings.map((s) => ({ count: s.count, closed: s.closed })),
    [{ count: 2, closed: false }],
  );
});
