/**
 * `npm run bench`: events/s of the whole pipeline (line → JSON → observe → engine → sightings) with 1, 100,
 * 1,000 and 10,000 generated indicators, against a bare loop that only JSON.parses the same Tetragon lines;
 * then RSS over 1,000,000 events with correlation patterns loaded. Options: `--events N` (lines per
 * measured pass, default 100000), `--rss-events N` (default 1000000), `--reference` (also time stix2-matcher),
 * `--only-reference` (time stix2-matcher against our pipeline and nothing else; bench/reference.ts).
 * Run it on one core (`taskset -c 1 npm run bench`); it is never part of `npm test`.
 */
import { parseArgs } from 'node:util';
import type { Observation } from '../src/contracts.js';
import { Engine, activateIndicator, engineConfigSchema, type ActiveIndicator } from '../src/engine/index.js';
import { createObserver, isSkip } from '../src/observe/index.js';
import { SightingAggregator, sightingsConfigSchema } from '../src/sightings/index.js';
import { IndicatorGenerator, collectVocabulary } from '../test/engine/indicator-generator.js';
import { prng } from '../test/engine/random.js';
import { defaultStartMs, generateBenignLines } from '../test/fixtures/benign/generate.js';
import { runReference } from './reference.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    'rss-events': { type: 'string', default: '1000000' },
    reference: { type: 'boolean', default: false },
    'only-reference': { type: 'boolean', default: false },
  },
});
const events = Number(values.events);
const rssEvents = Number(values['rss-events']);
const CHUNK = 50_000;

/** Distinct Tetragon lines, chunk by chunk (each chunk its own seed and hour), so none is a duplicate. */
function* tetragonLines(count: number): Generator<string> {
  for (let chunk = 0; chunk * CHUNK < count; chunk += 1) {
    const size = Math.min(CHUNK, count - chunk * CHUNK);
    const startMs = defaultStartMs + chunk * 3_600_000;
    yield* generateBenignLines({ count: size, seed: 1000 + chunk, startMs, sensor: 'tetragon' });
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

function bareParse(lines: readonly string[]): number {
  const start = performance.now();
  let keys = 0;
  for (const line of lines) keys += Object.keys(JSON.parse(line) as object).length;
  if (keys < 0) throw new Error('unreachable');
  return rate(lines.length, performance.now() - start);
}

function indicatorSet(count: number, sample: readonly Observation[], multiRate: number): ActiveIndicator[] {
  // About 1% of comparisons name values the traffic shows: a threat database mostly describes other things.
  const generator = new IndicatorGenerator(collectVocabulary(sample), prng(count), {
    multiRate,
    hitRate: 0.01,
  });
  return generator.indicators(count).flatMap((source) => {
    const active = activateIndicator(source);
    return 'reason' in active ? [] : [active];
  });
}

interface PipelineRun {
  readonly eventsPerSecond: number;
  readonly matches: number;
  readonly sightings: number;
  readonly engine: Engine;
}

function pipeline(
  lines: Iterable<string>,
  indicators: readonly ActiveIndicator[],
  onEvent?: (n: number) => void,
): PipelineRun {
  const observer = createObserver();
  const engine = new Engine(indicators, engineConfigSchema.parse({}));
  const aggregator = new SightingAggregator(sightingsConfigSchema.parse({}), {
    clusterName: 'bench',
    reportOnOpen: false,
  });
  const info = { id: '', name: 'bench' };
  let count = 0;
  let matches = 0;
  let sightings = 0;
  let watermark = 0;
  const start = performance.now();
  for (const text of lines) {
    count += 1;
    const result = observer.observe({ text, origin: { source: 'bench' } });
    if (isSkip(result)) continue;
    watermark = Math.max(watermark, result.time);
    for (const match of engine.process(result)) {
      matches += 1;
      aggregator.record(match, { ...info, id: match.indicatorId });
    }
    if (count % 10_000 === 0) {
      sightings += aggregator.flush({ watermarkMs: watermark - 5_000 }).length;
      onEvent?.(count);
    }
  }
  sightings += aggregator.flush({ final: true }).length;
  return { eventsPerSecond: rate(count, performance.now() - start), matches, sightings, engine };
}

function main(): void {
  console.log(`matcher bench: node ${process.version}, ${events} Tetragon lines per pass`);
  const lines = [...tetragonLines(events)];
  const observer = createObserver();
  const sample = lines.slice(0, 5_000).flatMap((text) => {
    const result = observer.observe({ text, origin: { source: 'bench' } });
    return isSkip(result) ? [] : [result];
  });
  if (values['only-reference']) {
    runReference(lines, sample, indicatorSet);
    return;
  }
  const bare = bareParse(lines);
  console.log(`bare JSON.parse loop: ${bare} events/s`);
  console.log('indicators | pipeline events/s | ratio to bare | matches | sightings | evictions | peak RSS');
  // 0 indicators: the observe stage alone, the ceiling matching can approach.
  for (const count of [0, 1, 100, 1_000, 10_000]) {
    const indicators = indicatorSet(count, sample, 0.1);
    pipeline(lines.slice(0, 5_000), indicators); // warm up
    const run = pipeline(lines, indicators);
    const stats = run.engine.stats();
    console.log(
      `${String(count).padStart(10)} | ${String(run.eventsPerSecond).padStart(17)} | ${(run.eventsPerSecond / bare).toFixed(2).padStart(13)} | ${String(run.matches).padStart(7)} | ${String(run.sightings).padStart(9)} | ${String(stats.evictions).padStart(9)} | ${mib(process.resourceUsage().maxRSS * 1024)}`,
    );
  }
  rssRun(sample);
  if (values.reference) runReference(lines, sample, indicatorSet);
}

function rssRun(sample: readonly Observation[]): void {
  const indicators = indicatorSet(1_000, sample, 0.5);
  let peak = process.memoryUsage().rss;
  const run = pipeline(tetragonLines(rssEvents), indicators, () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  });
  const stats = run.engine.stats();
  console.log(
    `${rssEvents} events, 1,000 indicators (half FOLLOWEDBY/REPEATS … WITHIN): ${run.eventsPerSecond} events/s, RSS peak ${mib(peak)} (sampled every 10,000 events), ${run.matches} matches, ${stats.partial} partial kept at the end, ${stats.evictions} evictions, ${stats.truncatedMatches} truncated`,
  );
}

main();
