/**
 * Memory over a long stream, as issue #4 asks it (RSS under 512 MiB over 1,000,000 events with
 * correlation patterns loaded), measured in a process that holds nothing else:
 *
 *   node --import tsx bench/rss.ts [--events N] [--indicators N] [--heap-limit MiB] [--snapshot PATH]
 *                                  [--through sources|loop] [--file PATH]
 *
 * This process writes the generated Tetragon lines to a temporary file, streaming, and the generated
 * indicators to a bundle file (see writeIndicatorBundle for why not in the measuring process), then starts a
 * fresh Node.js process (`--expose-gc`, plus `--max-old-space-size` with `--heap-limit`) that runs
 * observe → engine → sightings over the file, sampling `process.memoryUsage()` every 10,000 events.
 * `--through sources` (the default) takes the daemon's path: a files source beside a quiet one (an idle
 * audit webhook), merged, through runPipeline, which is where the leaks were; `--through loop` reads the
 * file with the sources' LineSplitter straight into the bench loop of workload.ts. It prints peak RSS,
 * peak heapUsed, heapUsed after a forced GC at the end (the live set), and the engine's and aggregator's
 * counts. `--snapshot` also writes a V8 heap snapshot at the end, before anything is released. `--file PATH` reuses a file of lines.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import { pino } from 'pino';
import type { RawLine } from '../src/contracts.js';
import { Engine, engineConfigSchema, type ActiveIndicator } from '../src/engine/index.js';
import { createObserver } from '../src/observe/index.js';
import { runPipeline } from '../src/pipeline.js';
import { SightingAggregator, sightingsConfigSchema } from '../src/sightings/index.js';
import { buildFilesSource } from '../src/sources/files/index.js';
import type { Source } from '../src/sources/source.js';
import { forEachFileLine, writeLinesFile } from './line-file.js';
import {
  BenchPipeline,
  loadIndicators,
  mib,
  observeSample,
  tetragonLines,
  writeIndicatorBundle,
} from './workload.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    indicators: { type: 'string', default: '1000' },
    'multi-rate': { type: 'string', default: '0.5' },
    'heap-limit': { type: 'string' },
    snapshot: { type: 'string' },
    file: { type: 'string' },
    through: { type: 'string', default: 'sources' },
    /** Internal: this is the measuring process, reading `--file` with the indicators of this bundle file. */
    measure: { type: 'string' },
  },
});
if (values.through !== 'sources' && values.through !== 'loop') {
  throw new Error(`--through is sources or loop, not ${values.through}`);
}
const events = Number(values.events);
const indicatorCount = Number(values.indicators);
const multiRate = Number(values['multi-rate']);
const SAMPLE_EVERY = 10_000;
/** Issue #4: RSS under 512 MiB over 1,000,000 events with correlation patterns loaded. */
const TARGET_RSS_BYTES = 512 * 1024 * 1024;
/** Observations the indicators draw their values from, as bench/run.ts draws them. */
const VOCABULARY_LINES = 5_000;

function forceGc(): void {
  if (typeof globalThis.gc !== 'function') throw new Error('the measuring process needs --expose-gc');
  globalThis.gc();
}

/** What one measured run did, whichever way the lines went through. */
interface RunCounts {
  readonly lines: number;
  readonly matches: number;
  readonly sightings: number;
  readonly skipped: number;
  readonly engine: Engine;
  readonly aggregator: SightingAggregator;
}

/** The bench loop: each line of the file straight through observe → engine → sightings (workload.ts). */
function throughLoop(path: string, indicators: readonly ActiveIndicator[], sample: () => void): RunCounts {
  const pipeline = new BenchPipeline(indicators);
  forEachFileLine(path, (text) => {
    pipeline.push(text);
    if (pipeline.lines % SAMPLE_EVERY === 0) sample();
  });
  pipeline.finish();
  const skipped = Object.values(pipeline.observer.counters().skipped).reduce((sum, n) => sum + n, 0);
  const { lines, matches, sightings, engine, aggregator } = pipeline;
  return { lines, matches, sightings, skipped, engine, aggregator };
}

/**
 * The daemon's own path: a files source (the sources' reader, batches) merged with a source that stays
 * quiet until the file is read, as an idle audit webhook beside a busy tail does, through runPipeline.
 */
async function throughSources(
  path: string,
  indicators: readonly ActiveIndicator[],
  sample: () => void,
): Promise<RunCounts> {
  const logger = pino({ enabled: false });
  const files = buildFilesSource({ paths: [path] }, { logger });
  let fileRead = (): void => undefined;
  const read = new Promise<void>((resolve) => {
    fileRead = resolve;
  });
  const file: Source = {
    id: files.id,
    batches: async function* () {
      yield* files.batches();
      fileRead();
    },
    commit: (origin) => {
      files.commit(origin);
    },
    stop: () => files.stop(),
  };
  const quiet: Source = {
    id: 'quiet',
    batches: () => ({
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<readonly RawLine[]>> => {
          await read;
          return { done: true, value: undefined };
        },
      }),
    }),
    commit: () => undefined,
    stop: () => Promise.resolve(),
  };
  const engineConfig = engineConfigSchema.parse({});
  const engine = new Engine(indicators, engineConfig);
  const aggregator = new SightingAggregator(sightingsConfigSchema.parse({}), {
    clusterName: 'bench',
    reportOnOpen: false,
  });
  let observed = 0;
  const stats = await runPipeline({
    sources: [file, quiet],
    observer: createObserver(),
    engine: () => engine,
    indicatorInfo: (id) => ({ id, name: 'bench' }),
    aggregator,
    outputs: [{ name: 'none', write: () => Promise.resolve(), close: () => Promise.resolve() }],
    logger,
    latenessMs: engineConfig.outOfOrderToleranceMs,
    telemetry: {
      observed: () => {
        observed += 1;
        if (observed % SAMPLE_EVERY === 0) sample();
      },
      skipped: () => undefined,
      matched: () => undefined,
      replayed: () => undefined,
      stateSaveFailed: () => undefined,
    },
  });
  const skipped = Object.values(stats.skipped).reduce((sum, n) => sum + n, 0);
  return {
    lines: stats.lines,
    matches: stats.matches,
    sightings: stats.sightingUpdates,
    skipped,
    engine,
    aggregator,
  };
}

async function measure(path: string, indicatorFile: string): Promise<void> {
  const indicators = await loadIndicators(indicatorFile);
  forceGc();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sample = (): void => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const start = performance.now();
  const run =
    values.through === 'loop'
      ? throughLoop(path, indicators, sample)
      : await throughSources(path, indicators, sample);
  const seconds = (performance.now() - start) / 1000;
  sample();
  if (values.snapshot !== undefined) writeHeapSnapshot(values.snapshot);
  forceGc();
  const live = process.memoryUsage();
  const engine = run.engine.stats();
  const sightings = run.aggregator.stats();
  const peakOrMax = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  const limit =
    values['heap-limit'] === undefined
      ? 'default heap limit'
      : `--max-old-space-size=${values['heap-limit']}`;
  const route =
    values.through === 'loop' ? 'bench loop' : 'files source beside a quiet one, merged, through runPipeline';
  console.log(
    [
      `${run.lines} events (${run.skipped} skipped), ${indicators.length} indicators (${multiRate * 100}% multi-observation), ${route}, node ${process.version}, ${limit}`,
      `${Math.round(run.lines / seconds)} events/s, ${run.matches} matches, ${run.sightings} sightings`,
      `RSS: ${mib(before.rss)} before the stream, peak ${mib(peakRss)} (sampled every ${SAMPLE_EVERY} events and at the end; OS maxRSS ${mib(process.resourceUsage().maxRSS * 1024)})`,
      `heapUsed: ${mib(before.heapUsed)} before the stream, peak ${mib(peakHeap)}, ${mib(live.heapUsed)} after a forced GC at the end (heapTotal ${mib(live.heapTotal)}, external ${mib(live.external)}, arrayBuffers ${mib(live.arrayBuffers)})`,
      `engine: ${engine.partial} partial kept, ${engine.evictions} evictions, ${engine.truncatedMatches} truncated matches, ${engine.evaluations} evaluations`,
      `sightings: ${sightings.open} open, ${sightings.evicted} evicted, ${sightings.updates} updates`,
      `target (RSS under ${mib(TARGET_RSS_BYTES)}): ${peakOrMax < TARGET_RSS_BYTES ? 'met' : 'NOT met'} (highest RSS ${mib(peakOrMax)})`,
    ].join('\n'),
  );
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'matcher-rss-'));
  try {
    let path = values.file;
    if (path === undefined) {
      path = join(dir, 'tetragon.log');
      const start = performance.now();
      writeLinesFile(path, tetragonLines(events));
      console.log(
        `wrote ${events} Tetragon lines to ${path} in ${((performance.now() - start) / 1000).toFixed(0)} s`,
      );
    }
    // The indicators are generated here, not in the measuring process (see writeIndicatorBundle).
    const vocabularyLines: string[] = [];
    forEachFileLine(path, (text) => vocabularyLines.push(text), VOCABULARY_LINES);
    const indicatorFile = join(dir, 'indicators.json');
    writeIndicatorBundle(indicatorFile, indicatorCount, observeSample(vocabularyLines), multiRate);
    const nodeOptions = [...process.execArgv, '--expose-gc'];
    if (values['heap-limit'] !== undefined) nodeOptions.push(`--max-old-space-size=${values['heap-limit']}`);
    const args = [
      '--measure',
      indicatorFile,
      '--file',
      path,
      '--indicators',
      String(indicatorCount),
      '--multi-rate',
      String(multiRate),
      '--through',
      values.through,
    ];
    if (values['heap-limit'] !== undefined) args.push('--heap-limit', values['heap-limit']);
    if (values.snapshot !== undefined) args.push('--snapshot', values.snapshot);
    const child = spawnSync(process.execPath, [...nodeOptions, import.meta.filename, ...args], {
      stdio: 'inherit',
    });
    if (child.status !== 0) {
      console.error(`the measuring process failed: ${child.signal ?? `exit code ${String(child.status)}`}`);
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.measure !== undefined) {
  if (values.file === undefined) throw new Error('--measure needs --file');
  await measure(values.file, values.measure);
} else {
  main();
}
