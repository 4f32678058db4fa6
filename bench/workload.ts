/**
 * The benchmarks' workload, shared by bench/run.ts (throughput) and bench/rss.ts (memory): generated
 * Tetragon lines, generated indicator sets, and one pipeline step (observe → engine → sightings, with the
 * periodic flush a scan does), so both measure the same thing.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Observation, Skip } from '../src/contracts.js';
import { Engine, activateIndicator, engineConfigSchema, type ActiveIndicator } from '../src/engine/index.js';
import { loadIndicatorFiles } from '../src/indicators/index.js';
import { createObserver, isSkip, type Observer } from '../src/observe/index.js';
import { SightingAggregator, sightingsConfigSchema } from '../src/sightings/index.js';
import { IndicatorGenerator, collectVocabulary } from '../test/engine/indicator-generator.js';
import { prng } from '../test/engine/random.js';
import { defaultStartMs, generateBenignLines } from '../test/fixtures/benign/generate.js';

const CHUNK = 50_000;

/** Distinct Tetragon lines, chunk by chunk (each chunk its own seed and hour), so none is a duplicate. */
export function* tetragonLines(count: number): Generator<string> {
  for (let chunk = 0; chunk * CHUNK < count; chunk += 1) {
    const size = Math.min(CHUNK, count - chunk * CHUNK);
    const startMs = defaultStartMs + chunk * 3_600_000;
    yield* generateBenignLines({ count: size, seed: 1000 + chunk, startMs, sensor: 'tetragon' });
  }
}

/** The observations of some lines (skips left out): what `indicatorSet` draws its values from. */
export { observeAll as observeSample } from '../test/engine/engine-runs.js';

/** `count` generated indicators (STIX objects), a share `multiRate` of them multi-observation patterns. */
function generatedIndicators(count: number, sample: readonly Observation[], multiRate: number) {
  // About 1% of comparisons name values the traffic shows: a threat database mostly describes other things.
  const generator = new IndicatorGenerator(collectVocabulary(sample), prng(count), {
    multiRate,
    hitRate: 0.01,
  });
  return generator.indicators(count);
}

/** `count` generated indicators, compiled. */
export function indicatorSet(
  count: number,
  sample: readonly Observation[],
  multiRate: number,
): ActiveIndicator[] {
  return generatedIndicators(count, sample, multiRate).flatMap((source) => {
    const active = activateIndicator(source);
    return 'reason' in active ? [] : [active];
  });
}

/**
 * Writes `count` generated indicators to `path` as a STIX bundle, for a measuring process to load with
 * `loadIndicators`. Observing the sample there would skew what it measures: V8 would see the sample's
 * objects all survive and allocate the observer's objects in the old generation from then on (allocation
 * site pretenuring), which a daemon never sees (its events die young); measured, 2.5 MB promoted per
 * young collection instead of 0.2 MB.
 */
export function writeIndicatorBundle(
  path: string,
  count: number,
  sample: readonly Observation[],
  multiRate: number,
): void {
  const objects = generatedIndicators(count, sample, multiRate).map((source) => ({
    type: 'indicator',
    spec_version: '2.1',
    ...source,
  }));
  writeFileSync(path, JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects }));
}

/** The indicators of a bundle `writeIndicatorBundle` wrote, read and compiled as the daemon reads indicator files. */
export async function loadIndicators(path: string): Promise<ActiveIndicator[]> {
  // Generated patterns the engine rejects are left out, as `indicatorSet` leaves them out.
  const { active, problems } = await loadIndicatorFiles([path]);
  if (problems.length > 0) throw new Error(`${path}: ${problems[0]?.message ?? ''}`);
  return active;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

/** Lines between two flushes of the sightings, as a scan flushes them. */
export const FLUSH_EVERY = 10_000;

/**
 * One line at a time through observe → engine → sightings, flushing the sightings every `FLUSH_EVERY`
 * lines (those whose window ended 5 s of event time before the latest event) and at the end.
 */
export class BenchPipeline {
  readonly observer: Observer = createObserver();
  readonly engine: Engine;
  readonly aggregator = new SightingAggregator(sightingsConfigSchema.parse({}), {
    clusterName: 'bench',
    reportOnOpen: false,
  });
  lines = 0;
  matches = 0;
  sightings = 0;
  private watermark = 0;

  constructor(indicators: readonly ActiveIndicator[]) {
    this.engine = new Engine(indicators, engineConfigSchema.parse({}));
  }

  push(text: string): void {
    this.match(this.observe(text));
  }

  /** The observe stage alone (its own JSON.parse included). */
  observe(text: string): Observation | Skip {
    return this.observer.observe({ text, origin: { source: 'bench' } });
  }

  /** What follows observing a line: the engine, the sightings, and the flush every `FLUSH_EVERY` lines. */
  match(result: Observation | Skip): void {
    this.lines += 1;
    if (!isSkip(result)) {
      this.watermark = Math.max(this.watermark, result.time);
      for (const match of this.engine.process(result)) {
        this.matches += 1;
        this.aggregator.record(match, { id: match.indicatorId, name: 'bench' });
      }
    }
    if (this.lines % FLUSH_EVERY === 0) {
      this.sightings += this.aggregator.flush({ watermarkMs: this.watermark - 5_000 }).length;
    }
  }

  finish(): void {
    this.sightings += this.aggregator.flush({ final: true }).length;
  }
}
