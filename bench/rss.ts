/**
 * Memory over a long stream, as issue #4 asks it (RSS under 512 MiB over 1,000,000 events with
 * correlation patterns loaded), measured in a process that holds nothing else:
 *
 *   node --import tsx bench/rss.ts [--events N] [--indicators N] [--heap-limit MiB] [--snapshot PATH]
 *
 * This process writes the generated Tetragon lines to a temporary file, streaming, then starts a fresh
 * Node.js process (`--expose-gc`, plus `--max-old-space-size` with `--heap-limit`) that reads the file
 * with the sources' own LineSplitter and runs observe → engine → sightings over it, sampling
 * `process.memoryUsage()` every 10,000 events. It prints peak RSS, peak heapUsed, heapUsed after a forced
 * GC at the end (the live set), and the engine's and aggregator's counts. `--snapshot` also writes a
 * V8 heap snapshot at the end, before anything is released. `--file PATH` reuses a file of lines.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import { forEachFileLine, writeLinesFile } from './line-file.js';
import { BenchPipeline, indicatorSet, mib, observeSample, tetragonLines } from './workload.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    indicators: { type: 'string', default: '1000' },
    'multi-rate': { type: 'string', default: '0.5' },
    'heap-limit': { type: 'string' },
    snapshot: { type: 'string' },
    file: { type: 'string' },
    /** Internal: this is the measuring process, reading `--file`. */
    measure: { type: 'boolean', default: false },
  },
});
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

function measure(path: string): void {
  // The indicators, built before measuring; the sample they come from is garbage once they exist.
  const vocabularyLines: string[] = [];
  forEachFileLine(path, (text) => vocabularyLines.push(text), VOCABULARY_LINES);
  const indicators = indicatorSet(indicatorCount, observeSample(vocabularyLines), multiRate);
  vocabularyLines.length = 0;
  forceGc();
  const before = process.memoryUsage();
  const pipeline = new BenchPipeline(indicators);
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const start = performance.now();
  forEachFileLine(path, (text) => {
    pipeline.push(text);
    if (pipeline.lines % SAMPLE_EVERY === 0) {
      const usage = process.memoryUsage();
      peakRss = Math.max(peakRss, usage.rss);
      peakHeap = Math.max(peakHeap, usage.heapUsed);
    }
  });
  pipeline.finish();
  const seconds = (performance.now() - start) / 1000;
  const end = process.memoryUsage();
  peakRss = Math.max(peakRss, end.rss);
  peakHeap = Math.max(peakHeap, end.heapUsed);
  if (values.snapshot !== undefined) writeHeapSnapshot(values.snapshot);
  forceGc();
  const live = process.memoryUsage();
  const engine = pipeline.engine.stats();
  const sightings = pipeline.aggregator.stats();
  const counters = pipeline.observer.counters();
  const skipped = Object.values(counters.skipped).reduce((sum, n) => sum + n, 0);
  const peakOrMax = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  const limit =
    values['heap-limit'] === undefined
      ? 'default heap limit'
      : `--max-old-space-size=${values['heap-limit']}`;
  console.log(
    [
      `${pipeline.lines} events (${skipped} skipped), ${indicators.length} indicators (${multiRate * 100}% multi-observation), node ${process.version}, ${limit}`,
      `${Math.round(pipeline.lines / seconds)} events/s, ${pipeline.matches} matches, ${pipeline.sightings} sightings`,
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
    const nodeOptions = [...process.execArgv, '--expose-gc'];
    if (values['heap-limit'] !== undefined) nodeOptions.push(`--max-old-space-size=${values['heap-limit']}`);
    const args = [
      '--measure',
      '--file',
      path,
      '--indicators',
      String(indicatorCount),
      '--multi-rate',
      String(multiRate),
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

if (values.measure) {
  if (values.file === undefined) throw new Error('--measure needs --file');
  measure(values.file);
} else {
  main();
}
