import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MetricsRegistry } from '../../src/server/index.js';
import { parseExposition, sampleValue } from './exposition.js';

test('counters and gauges render as exposition text, labels escaped', () => {
  const registry = new MetricsRegistry();
  const lines = registry.counter('x_lines_total', 'Lines.\nTwo help lines.', ['source']);
  const depth = registry.gauge('x_depth', 'Depth.');
  lines.inc({ source: 'a "quoted"\\path\nnext' }, 3);
  lines.inc({ source: 'b' });
  lines.inc({ source: 'b' });
  depth.set({}, 7);
  const samples = parseExposition(registry.render());
  assert.equal(sampleValue(samples, 'x_lines_total', { source: 'a "quoted"\\path\nnext' }), 3);
  assert.equal(sampleValue(samples, 'x_lines_total', { source: 'b' }), 2);
  assert.equal(sampleValue(samples, 'x_depth'), 7);
  assert.match(registry.render(), /^# HELP x_lines_total Lines\.\\nTwo help lines\.$/m);
});

test('collect callbacks run before each rendering', () => {
  const registry = new MetricsRegistry();
  const gauge = registry.gauge('x_now', 'Now.');
  let value = 1;
  registry.onCollect(() => {
    gauge.set({}, value);
  });
  assert.equal(sampleValue(parseExposition(registry.render()), 'x_now'), 1);
  value = 5;
  assert.equal(sampleValue(parseExposition(registry.render()), 'x_now'), 5);
});

test('bad names, unknown labels and duplicates are refused', () => {
  const registry = new MetricsRegistry();
  assert.throws(() => registry.counter('bad-name', 'x'), /Invalid metric name/);
  assert.throws(() => registry.counter('ok', 'x', ['bad-label']), /Invalid label name/);
  const metric = registry.counter('ok_total', 'x', ['a']);
  assert.throws(() => {
    metric.inc({ b: '1' });
  }, /no label 'b'/);
  assert.throws(() => registry.gauge('ok_total', 'x'), /registered twice/);
});

test('NaN and infinities use the exposition spellings', () => {
  const registry = new MetricsRegistry();
  registry.gauge('x_nan', 'x').set({}, Number.NaN);
  registry.gauge('x_inf', 'x').set({}, Number.POSITIVE_INFINITY);
  const text = registry.render();
  assert.match(text, /^x_nan NaN$/m);
  assert.match(text, /^x_inf \+Inf$/m);
  assert.equal(parseExposition(text).length, 2);
});
