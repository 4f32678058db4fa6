/**
 * `npm run bench -- --reference` (or `--only-reference`, without the rest of the bench): the OASIS reference
 * matcher (stix2-matcher 3.0.0, Python, in .cache/venv-stix2-matcher) on the same workload, 1 and 100
 * single-observation indicators over a few hundred Tetragon events, each pattern matched against each event's
 * bundle (what a per-event matcher must do), against our whole pipeline on the same lines.
 *
 * The comparison leans towards the reference: its patterns are compiled once (`Pattern`, as our engine
 * compiles them), its bundles are built before its clock starts, and only its matching loop is timed; ours
 * is timed from the raw line (JSON.parse, observe, engine) after one warm-up round, and also the engine
 * alone on observations built beforehand (the same footing as the reference). Both sides count their
 * matches, which must agree, or the rates compare different work.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observation } from '../src/contracts.js';
import { Engine, engineConfigSchema, type ActiveIndicator } from '../src/engine/index.js';
import { asBundles } from '../src/engine/indicator.js';
import { createObserver, isSkip } from '../src/observe/index.js';
import { ensurePythonVenv } from '../test/helpers/python.js';
import { REFERENCE_REQUIREMENT } from '../test/pattern/differential/reference-process.js';

const REFERENCE_EVENTS = 300;
/** Rounds of our pipeline over the same lines, so its clock runs long enough to mean something. */
const OUR_ROUNDS = 20;

const script = `
import json, sys, time
from stix2matcher.matcher import Pattern
data = json.load(open(sys.argv[1]))
# The reference assumes STIX 2.0 unless told; our bundles are 2.1.
patterns = [Pattern(p, "2.1") for p in data["patterns"]]
start = time.perf_counter()
hits = 0
errors = 0
for bundle in data["bundles"]:
    for pattern in patterns:
        try:
            if pattern.match([bundle]): hits += 1
        except Exception:
            errors += 1
print(json.dumps({"seconds": time.perf_counter() - start, "hits": hits, "errors": errors}))
`;

type IndicatorSet = (count: number, sample: readonly Observation[], multiRate: number) => ActiveIndicator[];

interface ReferenceRun {
  readonly seconds: number;
  readonly hits: number;
  readonly errors: number;
}

export function runReference(
  lines: readonly string[],
  sample: readonly Observation[],
  indicatorSet: IndicatorSet,
): void {
  const python = ensurePythonVenv('stix2-matcher', [REFERENCE_REQUIREMENT]);
  const referenceLines = lines.slice(0, REFERENCE_EVENTS);
  const observations = observe(referenceLines);
  const bundles = observations.map((o) => asBundles([o])[0]);
  const dir = mkdtempSync(join(tmpdir(), 'matcher-bench-'));
  const scriptFile = join(dir, 'reference.py');
  writeFileSync(scriptFile, script);
  const [cpu] = cpus();
  console.log(
    `reference run: ${new Date().toISOString()}, node ${process.version}, ${cpus().length} × ${cpu?.model ?? 'unknown CPU'}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  try {
    for (const count of [1, 100]) {
      // Single-observation patterns: the reference matches one bundle at a time, as events come.
      const indicators = indicatorSet(count, sample, 0);
      const input = join(dir, `input-${count}.json`);
      writeFileSync(input, JSON.stringify({ bundles, patterns: indicators.map((i) => i.pattern) }));
      const output = execFileSync(python, [scriptFile, input], { encoding: 'utf8' });
      const reference = JSON.parse(output) as ReferenceRun;
      const referenceRate = observations.length / reference.seconds;
      const ours = timeOurs(referenceLines, indicators);
      const engineOnly = timeEngine(observations, indicators);
      const agreement =
        reference.hits === ours.matches && reference.errors === 0
          ? `both ${ours.matches} matches`
          : `MATCHES DIFFER: reference ${reference.hits} (${reference.errors} errors), ours ${ours.matches}`;
      console.log(
        `reference stix2-matcher, ${count} indicators, ${observations.length} events: ${referenceRate.toFixed(1)} events/s; ours (whole pipeline) ${Math.round(ours.eventsPerSecond)} events/s; speed-up ${times(ours.eventsPerSecond / referenceRate)}; our engine alone ${Math.round(engineOnly)} events/s (${times(engineOnly / referenceRate)}); ${agreement}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A speed-up as people read it: one decimal while it is small. */
function times(ratio: number): string {
  return `${ratio < 10 ? ratio.toFixed(1) : Math.round(ratio)}x`;
}

function observe(lines: readonly string[]): Observation[] {
  const observer = createObserver();
  return lines.flatMap((text) => {
    const result = observer.observe({ text, origin: { source: 'bench' } });
    return isSkip(result) ? [] : [result];
  });
}

function timeOurs(
  lines: readonly string[],
  indicators: readonly ActiveIndicator[],
): { eventsPerSecond: number; matches: number } {
  const matches = pipelineOnce(lines, indicators); // warm-up, and the match count
  const start = performance.now();
  for (let r = 0; r < OUR_ROUNDS; r += 1) pipelineOnce(lines, indicators);
  return { eventsPerSecond: (lines.length * OUR_ROUNDS * 1000) / (performance.now() - start), matches };
}

/** The engine alone over observations built beforehand, a fresh engine per round (it keeps no state here). */
function timeEngine(observations: readonly Observation[], indicators: readonly ActiveIndicator[]): number {
  const config = engineConfigSchema.parse({});
  const once = (): void => {
    const engine = new Engine(indicators, config);
    for (const observation of observations) engine.process(observation);
  };
  once();
  const start = performance.now();
  for (let r = 0; r < OUR_ROUNDS; r += 1) once();
  return (observations.length * OUR_ROUNDS * 1000) / (performance.now() - start);
}

/** Line → observation → engine over `lines`, from a fresh observer and engine; returns the matches. */
function pipelineOnce(lines: readonly string[], indicators: readonly ActiveIndicator[]): number {
  const observer = createObserver();
  const engine = new Engine(indicators, engineConfigSchema.parse({}));
  let matches = 0;
  for (const text of lines) {
    const result = observer.observe({ text, origin: { source: 'bench' } });
    if (!isSkip(result)) matches += engine.process(result).length;
  }
  return matches;
}
