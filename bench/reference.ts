/**
 * `npm run bench -- --reference`: the OASIS reference matcher (stix2-matcher, Python) on the same workload,
 * 1 and 100 indicators over a few hundred events, each pattern matched against each event's bundle (what a
 * per-event matcher must do), against our whole pipeline on the same lines.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observation } from '../src/contracts.js';
import { Engine, engineConfigSchema, type ActiveIndicator } from '../src/engine/index.js';
import { asBundles } from '../src/engine/indicator.js';
import { createObserver, isSkip } from '../src/observe/index.js';
import { ensurePythonVenv } from '../test/helpers/python.js';

const REFERENCE_EVENTS = 300;

const script = `
import json, sys, time
from stix2matcher.matcher import match
data = json.load(open(sys.argv[1]))
start = time.perf_counter()
hits = 0
for bundle in data["bundles"]:
    for pattern in data["patterns"]:
        try:
            if match(pattern, [bundle]): hits += 1
        except Exception:
            pass
print(json.dumps({"seconds": time.perf_counter() - start, "hits": hits}))
`;

type IndicatorSet = (count: number, sample: readonly Observation[], multiRate: number) => ActiveIndicator[];

export function runReference(
  lines: readonly string[],
  sample: readonly Observation[],
  indicatorSet: IndicatorSet,
): void {
  const python = ensurePythonVenv('stix2-matcher', ['stix2-matcher==3.0.0']);
  const observer = createObserver();
  const observations = lines.slice(0, REFERENCE_EVENTS).flatMap((text) => {
    const result = observer.observe({ text, origin: { source: 'bench' } });
    return isSkip(result) ? [] : [result];
  });
  const dir = mkdtempSync(join(tmpdir(), 'matcher-bench-'));
  for (const count of [1, 100]) {
    const indicators = indicatorSet(count, sample, 0);
    const input = join(dir, `input-${count}.json`);
    const bundles = observations.map((o) => asBundles([o])[0]);
    writeFileSync(input, JSON.stringify({ bundles, patterns: indicators.map((i) => i.pattern) }));
    const scriptFile = join(dir, 'reference.py');
    writeFileSync(scriptFile, script);
    const output = execFileSync(python, [scriptFile, input], { encoding: 'utf8' });
    const { seconds } = JSON.parse(output) as { seconds: number };
    const referenceRate = observations.length / seconds;
    const ours = timeOurs(lines.slice(0, REFERENCE_EVENTS), indicators);
    console.log(
      `reference stix2-matcher, ${count} indicators, ${observations.length} events: ${referenceRate.toFixed(1)} events/s; ours (whole pipeline) ${Math.round(ours)} events/s; speed-up ${(ours / referenceRate).toFixed(0)}x`,
    );
  }
}

function timeOurs(lines: readonly string[], indicators: readonly ActiveIndicator[]): number {
  const rounds = 20;
  const start = performance.now();
  for (let r = 0; r < rounds; r += 1) pipelineOnce(lines, indicators);
  return (lines.length * rounds * 1000) / (performance.now() - start);
}

function pipelineOnce(lines: readonly string[], indicators: readonly ActiveIndicator[]): void {
  const observer = createObserver();
  const engine = new Engine(indicators, engineConfigSchema.parse({}));
  for (const text of lines) {
    const result = observer.observe({ text, origin: { source: 'bench' } });
    if (!isSkip(result)) engine.process(result);
  }
}
