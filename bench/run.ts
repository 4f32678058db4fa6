/**
 * `npm run bench`: events/s of the whole pipeline (read line → JSON → observe → engine → sightings) with
 * 0 (observe only), 1, 100, 1,000 and 10,000 generated indicators, against a bare loop that only reads and
 * JSON.parses the same Tetragon lines; both read one generated file through the sources' LineSplitter.
 * Then RSS over 1,000,000 events with correlation patterns loaded, in a process of its own (bench/rss.ts).
 * Options: `--events N` (lines per measured pass, default 100000), `--repeat N` (processes per pass, the
 * median reported; default 3), `--rss-events N` (default 1000000; 0 skips it), `--reference` (also time
 * stix2-matcher), `--only-reference` (time stix2-matcher against our pipeline and nothing else;
 * bench/reference.ts).
 * Run it on one core (`taskset -c 1 npm run bench`); it is never part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { forEachFileLine, writeLinesFile } from './line-file.js';
import { runReference } from './reference.js';
import {
  BenchPipeline,
  indicatorSet,
  loadIndicators,
  mib,
  observeSample,
  tetragonLines,
  writeIndicatorBundle,
} from './workload.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    'rss-events': { type: 'string', default: '1000000' },
    repeat: { type: 'string', default: '3' },
    reference: { type: 'boolean', default: false },
    'only-reference': { type: 'boolean', default: false },
    /** Internal: measure one pass (`bare` or an indicator count) over `--file`, in this fresh process. */
    pass: { type: 'string' },
    /** Internal, with `--pass N`: time the stages apart (see `stageCosts`). */
    stages: { type: 'boolean', default: false },
    file: { type: 'string' },
    indicators: { type: 'string' },
  },
});
const events = Number(values.events);
const rssEvents = Number(values['rss-events']);
const repeats = Number(values.repeat);
if (!Number.isSafeInteger(repeats) || repeats < 1) throw new Error('--repeat takes a positive integer');
/** Lines of the warm-up pass before each measured one, and of the sample the indicators draw from. */
const WARM_UP_LINES = 5_000;

function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

function bareParse(path: string): number {
  let keys = 0;
  const parse = (text: string): void => {
    keys += Object.keys(JSON.parse(text) as object).length;
  };
  forEachFileLine(path, parse, WARM_UP_LINES);
  const start = performance.now();
  const count = forEachFileLine(path, parse);
  if (keys < 0) throw new Error('unreachable');
  return rate(count, performance.now() - start);
}

function firstLines(path: string, count: number): string[] {
  const lines: string[] = [];
  forEachFileLine(path, (text) => lines.push(text), count);
  return lines;
}

/** What a measuring process prints: one JSON line. */
const passResultSchema = z.strictObject({
  eventsPerSecond: z.number(),
  matches: z.number(),
  sightings: z.number(),
  evictions: z.number(),
  maxRss: z.number(),
  stages: z.strictObject({ parse: z.number(), observe: z.number(), match: z.number() }).optional(),
});
type PassResult = z.infer<typeof passResultSchema>;

/** Lines taken through each stage together when the stages are timed apart. */
const STAGE_CHUNK = 50;

/**
 * Microseconds per event of each stage, timed apart over chunks of lines: a bare JSON.parse of each line;
 * observing each (which parses it again); then the engine and sightings for each observation. Slower than a
 * pass (every line is parsed twice), it shows where the time of a pass goes.
 */
function stageCosts(path: string, pipeline: BenchPipeline): NonNullable<PassResult['stages']> {
  const spent = { parse: 0, observe: 0, match: 0 };
  let keys = 0;
  let chunk: string[] = [];
  const runChunk = (): void => {
    let start = performance.now();
    for (const text of chunk) keys += Object.keys(JSON.parse(text) as object).length;
    spent.parse += performance.now() - start;
    start = performance.now();
    const results = chunk.map((text) => pipeline.observe(text));
    spent.observe += performance.now() - start;
    start = performance.now();
    for (const result of results) pipeline.match(result);
    spent.match += performance.now() - start;
    chunk = [];
  };
  const count = forEachFileLine(path, (text) => {
    chunk.push(text);
    if (chunk.length === STAGE_CHUNK) runChunk();
  });
  runChunk();
  if (keys < 0) throw new Error('unreachable');
  const perEvent = (ms: number): number => Math.round((ms * 1000 * 100) / count) / 100;
  return { parse: perEvent(spent.parse), observe: perEvent(spent.observe), match: perEvent(spent.match) };
}

/**
 * One measured pass, in this process (started for it alone): the bare loop, or the pipeline with the
 * indicators of the bundle file `indicatorFile`.
 */
async function measurePass(
  path: string,
  indicatorFile: string | undefined,
  stages: boolean,
): Promise<PassResult> {
  if (indicatorFile === undefined) {
    const eventsPerSecond = bareParse(path);
    return { eventsPerSecond, matches: 0, sightings: 0, evictions: 0, maxRss: maxRss() };
  }
  const indicators = await loadIndicators(indicatorFile);
  const warmUp = new BenchPipeline(indicators);
  forEachFileLine(
    path,
    (text) => {
      warmUp.push(text);
    },
    WARM_UP_LINES,
  );
  const pipeline = new BenchPipeline(indicators);
  const start = performance.now();
  const stageMicros = stages ? stageCosts(path, pipeline) : undefined;
  if (!stages) {
    forEachFileLine(path, (text) => {
      pipeline.push(text);
    });
  }
  pipeline.finish();
  return {
    ...(stageMicros === undefined ? {} : { stages: stageMicros }),
    eventsPerSecond: rate(pipeline.lines, performance.now() - start),
    matches: pipeline.matches,
    sightings: pipeline.sightings,
    evictions: pipeline.engine.stats().evictions,
    maxRss: maxRss(),
  };
}

function maxRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Each pass in a Node.js process of its own, as a daemon runs: no heap left over from generating the lines
 * or from the indicator sets measured before it.
 */
function spawnPass(path: string, pass: string, indicatorFile?: string, stages = false): PassResult {
  const indicatorArgs = indicatorFile === undefined ? [] : ['--indicators', indicatorFile];
  if (stages) indicatorArgs.push('--stages');
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, import.meta.filename, '--pass', pass, '--file', path, ...indicatorArgs],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (child.status !== 0) throw new Error(`the ${pass} pass failed: ${child.signal ?? String(child.status)}`);
  return passResultSchema.parse(JSON.parse(child.stdout));
}

/**
 * A pass `repeats` times, each in a fresh process: the median rate (a neighbour's load on a shared machine
 * only ever slows a run down, and the median is less moved by one such run than the mean), the range, and
 * the rest of the median run's result.
 */
function repeatedPass(
  path: string,
  pass: string,
  indicatorFile?: string,
): { median: PassResult; range: string } {
  const runs = Array.from({ length: repeats }, () => spawnPass(path, pass, indicatorFile)).sort(
    (a, b) => a.eventsPerSecond - b.eventsPerSecond,
  );
  const median = runs[Math.floor((runs.length - 1) / 2)];
  const [slowest, fastest] = [runs[0], runs.at(-1)];
  if (median === undefined || slowest === undefined || fastest === undefined) throw new Error('no runs');
  return { median, range: `${slowest.eventsPerSecond}–${fastest.eventsPerSecond}` };
}

function throughput(path: string, dir: string): void {
  const sample = observeSample(firstLines(path, WARM_UP_LINES));
  const bare = repeatedPass(path, 'bare');
  const bareRate = bare.median.eventsPerSecond;
  console.log(
    `bare read + JSON.parse loop: ${bareRate} events/s (median of ${repeats}; range ${bare.range})`,
  );
  console.log(
    'indicators | pipeline events/s (median) | range | ratio to bare | matches | sightings | evictions | peak RSS',
  );
  for (const count of [0, 1, 100, 1_000, 10_000]) {
    const indicatorFile = join(dir, `indicators-${String(count)}.json`);
    writeIndicatorBundle(indicatorFile, count, sample, 0.1);
    const { median: run, range } = repeatedPass(path, String(count), indicatorFile);
    console.log(
      `${String(count).padStart(10)} | ${String(run.eventsPerSecond).padStart(26)} | ${range.padStart(13)} | ${(run.eventsPerSecond / bareRate).toFixed(2).padStart(13)} | ${String(run.matches).padStart(7)} | ${String(run.sightings).padStart(9)} | ${String(run.evictions).padStart(9)} | ${mib(run.maxRss)}`,
    );
  }
  console.log('where the time goes, µs per event (stages timed apart; observe includes its own JSON.parse):');
  console.log('indicators | JSON.parse | observe | engine + sightings');
  for (const count of [0, 1_000, 10_000]) {
    const { stages } = spawnPass(path, String(count), join(dir, `indicators-${String(count)}.json`), true);
    if (stages === undefined) throw new Error('the stage pass gave no stage costs');
    console.log(
      `${String(count).padStart(10)} | ${String(stages.parse).padStart(10)} | ${String(stages.observe).padStart(7)} | ${String(stages.match).padStart(18)}`,
    );
  }
}

/** bench/rss.ts in a process of its own, so nothing this process holds counts against it. */
function rssRun(): void {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, join(import.meta.dirname, 'rss.ts'), '--events', String(rssEvents)],
    { stdio: 'inherit' },
  );
  if (child.status !== 0) throw new Error(`bench/rss.ts failed: ${child.signal ?? String(child.status)}`);
}

function main(): void {
  const [load1] = loadavg();
  console.log(
    `matcher bench: node ${process.version}, ${events} Tetragon lines per pass, load average ${(load1 ?? 0).toFixed(1)}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'matcher-bench-'));
  try {
    const path = join(dir, 'tetragon.log');
    writeLinesFile(path, tetragonLines(events));
    if (!values['only-reference']) {
      throughput(path, dir);
      if (rssEvents > 0) rssRun();
    }
    if (values.reference || values['only-reference']) {
      const lines = firstLines(path, WARM_UP_LINES);
      runReference(lines, observeSample(lines), indicatorSet);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.pass !== undefined) {
  if (values.file === undefined) throw new Error('--pass needs --file');
  console.log(JSON.stringify(await measurePass(values.file, values.indicators, values.stages)));
} else {
  main();
}
