/**
 * The daemon logs the engine's index warnings when it loads an indicator set: one line per `[ … ]` that
 * cannot be indexed (or never matches), once per indicator version, not again at each refresh. Those and
 * rejected indicators are logged one by one up to 20 per load, then counted in one line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DaemonMetrics, LiveIndicators } from '../../src/daemon/index.js';
import { engineConfigSchema, type IndicatorSource } from '../../src/engine/index.js';
import type { IndicatorProvider } from '../../src/indicators/index.js';
import { MetricsRegistry } from '../../src/server/index.js';
import { memoryLogger } from '../sources/helpers.js';

function indicator(n: number, pattern: string): IndicatorSource {
  return {
    id: `indicator--${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`,
    pattern,
    pattern_type: 'stix',
    valid_from: '2020-01-01T00:00:00Z',
  };
}

/** A provider whose set the test replaces between refreshes. */
function providerOf(set: { current: IndicatorSource[] }): IndicatorProvider {
  return {
    name: 'test',
    load: () => Promise.resolve({ indicators: set.current, problems: [] }),
    close: () => Promise.resolve(),
  };
}

/** Live indicators over `set`, logging into memory; `logged(code)` gives the lines of one code. */
function liveOver(set: { current: IndicatorSource[] }) {
  const { logger, events } = memoryLogger();
  const live = new LiveIndicators(
    providerOf(set),
    engineConfigSchema.parse({}),
    logger,
    new DaemonMetrics(new MetricsRegistry()),
  );
  const logged = (code: string): Record<string, unknown>[] => events().filter((e) => e.code === code);
  return { live, logged };
}

test('index warnings are logged once per indicator version when a set is loaded', async () => {
  const indexed = indicator(1, "[file:name = 'a.exe']");
  const ranged = indicator(2, '[file:size > 1000000]');
  const set = { current: [indexed, ranged] };
  const { live, logged } = liveOver(set);
  const warnings = (): Record<string, unknown>[] => logged('INDICATOR_INDEX_WARNING');

  assert.equal(await live.refresh(), 'changed');
  assert.equal(warnings().length, 1);
  const [first] = warnings();
  assert.ok(first);
  assert.equal(first.level, 40, 'warn');
  assert.equal(first.id, ranged.id);
  assert.equal(first.reason, 'unindexed-comparison');
  assert.equal(first.comparison, 'file:size > 1000000');
  assert.match(String(first.detail), /tested against every observation with an object of type file/);

  // Another indicator joins: the known warning is not repeated, the new one is logged.
  const never = indicator(3, "[file:name = 'a' AND process:pid = 4]");
  set.current = [indexed, ranged, never];
  assert.equal(await live.refresh(), 'changed');
  assert.deepEqual(
    warnings().map((e) => [e.id, e.reason]),
    [
      [ranged.id, 'unindexed-comparison'],
      [never.id, 'never-matches'],
    ],
  );
  assert.equal(await live.refresh(), 'unchanged');
  assert.equal(warnings().length, 2);
});

test('past the first 20 index warnings of a load, one line counts the rest by reason', async () => {
  // 25 range comparisons (unindexable) and 3 patterns that never match, each its own indicator.
  const ranged = Array.from({ length: 25 }, (_, i) => indicator(100 + i, `[file:size > ${i}]`));
  const never = Array.from({ length: 3 }, (_, i) =>
    indicator(200 + i, `[file:name = 'a${i}' AND process:pid = 4]`),
  );
  const { live, logged } = liveOver({ current: [...ranged, ...never] });
  assert.equal(await live.refresh(), 'changed');
  const single = logged('INDICATOR_INDEX_WARNING');
  const more = logged('INDICATOR_INDEX_WARNINGS_MORE');
  assert.equal(single.length, 20);
  assert.equal(more.length, 1);
  const byReason = (more[0]?.byReason ?? {}) as Record<string, number>;
  const counted = Object.values(byReason).reduce((sum, n) => sum + n, 0);
  assert.equal(single.length + counted, 28, 'every warning logged or counted, none twice');
  for (const reason of Object.keys(byReason)) assert.match(reason, /^(unindexed-comparison|never-matches)$/);
});

test('past the first 20 rejected indicators of a load, one line counts the rest by reason', async () => {
  // 22 broken patterns and 4 of another pattern language, each its own indicator, and one that runs.
  const broken = Array.from({ length: 22 }, (_, i) => indicator(300 + i, `[file:name = 'a${i}'`));
  const sigma = Array.from({ length: 4 }, (_, i) => ({
    ...indicator(400 + i, 'title: x'),
    pattern_type: 'sigma',
  }));
  const set = { current: [...broken, ...sigma, indicator(500, "[file:name = 'ok']")] };
  const { live, logged } = liveOver(set);
  assert.equal(await live.refresh(), 'changed');
  const single = logged('INDICATOR_REJECTED');
  const more = logged('INDICATORS_REJECTED_MORE');
  assert.equal(single.length, 20);
  assert.equal(more.length, 1);
  const byReason = (more[0]?.byReason ?? {}) as Record<string, number>;
  assert.deepEqual(byReason, { 'not-stix': 4, 'invalid-pattern': 2 });
  assert.equal(live.rejections().length, 26, 'every rejection still known, logged or counted');
  // A refresh with nothing new logs nothing more; a new broken one is logged.
  assert.equal(await live.refresh(), 'unchanged');
  set.current = [...set.current, indicator(600, '[broken')];
  assert.equal(await live.refresh(), 'changed');
  assert.equal(logged('INDICATOR_REJECTED').length, 21);
  assert.equal(logged('INDICATORS_REJECTED_MORE').length, 1);
});
