/**
 * What the index tests share: realistic traffic turned into observations, generated indicators compiled, and
 * an engine's matches over a stream, per indicator, so two engines (or two indicator sets) can be compared.
 */
import type { Match, Observation } from '../../src/contracts.js';
import {
  Engine,
  activateIndicator,
  type ActiveIndicator,
  type IndicatorSource,
} from '../../src/engine/index.js';
import { createObserver, isSkip } from '../../src/observe/index.js';

export function observeAll(lines: readonly string[]): Observation[] {
  const observer = createObserver();
  const observations: Observation[] = [];
  for (const text of lines) {
    const result = observer.observe({ text, origin: { source: 'test' } });
    if (!isSkip(result)) observations.push(result);
  }
  return observations;
}

/** The indicators that compile; the generator's patterns all should, so callers check the count. */
export function activateAll(sources: readonly IndicatorSource[]): ActiveIndicator[] {
  return sources.flatMap((source) => {
    const active = activateIndicator(source);
    return 'reason' in active ? [] : [active];
  });
}

/** One pattern as an active indicator (valid from 2020); throws, naming the pattern, when it cannot run. */
export function activatePattern(
  pattern: string,
  id = 'indicator--0f8a2c39-94d6-4e6b-8c9f-6a1c0a0f3b11',
): ActiveIndicator {
  const active = activateIndicator({ id, pattern, pattern_type: 'stix', valid_from: '2020-01-01T00:00:00Z' });
  if ('reason' in active) throw new Error(`${pattern}: ${active.message}`);
  return active;
}

/** One line per match: the indicator and the observations it carries. */
export function describeMatches(matches: readonly Match[]): string[] {
  return matches.map((m) => `${m.indicatorId} ${m.observations.map((o) => o.observedData.id).join(' ')}`);
}

/** Every match of every indicator over the stream, as `event-number: observation ids`, in stream order. */
export function matchesByIndicator(
  engine: Engine,
  observations: readonly Observation[],
): Map<string, string[]> {
  const byIndicator = new Map<string, string[]>();
  observations.forEach((observation, event) => {
    for (const match of engine.process(observation)) {
      const ids = match.observations.map((o) => o.observedData.id).join(' ');
      const list = byIndicator.get(match.indicatorId) ?? [];
      list.push(`${event}: ${ids}`);
      byIndicator.set(match.indicatorId, list);
    }
  });
  return byIndicator;
}

/** The indicators (of `ids`) whose matches differ between two runs, with the first event where they part. */
export function differingIndicators(
  ids: Iterable<string>,
  actual: ReadonlyMap<string, readonly string[]>,
  expected: ReadonlyMap<string, readonly string[]>,
): { id: string; actual: string; expected: string }[] {
  const differences: { id: string; actual: string; expected: string }[] = [];
  for (const id of ids) {
    const got = actual.get(id) ?? [];
    const want = expected.get(id) ?? [];
    const at = firstDifference(got, want);
    if (at >= 0) differences.push({ id, actual: got[at] ?? 'no match', expected: want[at] ?? 'no match' });
  }
  return differences;
}

function firstDifference(a: readonly string[], b: readonly string[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i += 1) if (a[i] !== b[i]) return i;
  return -1;
}
