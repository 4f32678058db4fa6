import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StixObject } from '../../src/contracts.js';
import {
  Engine,
  activateIndicator,
  engineConfigSchema,
  type ActiveIndicator,
} from '../../src/engine/index.js';
import { asBundles } from '../../src/engine/indicator.js';
import { compilePattern } from '../../src/pattern/index.js';
import { deterministicId } from '../../src/stix/ids.js';
import { processObservation } from '../helpers/observation.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');
let serial = 0;

function event(name: string, time: number) {
  serial += 1;
  const process: StixObject = {
    type: 'process',
    id: deterministicId('process', { serial }),
    pid: serial,
    name,
  };
  return processObservation({ time, pid: serial, roots: [process] });
}

function indicator(
  pattern: string,
  extra: { valid_from?: string; valid_until?: string } = {},
): ActiveIndicator {
  const result = activateIndicator({
    id: 'indicator--5d3c2b1a-0f9e-4d8c-b7a6-958473625140',
    pattern,
    pattern_type: 'stix',
    valid_from: '2020-01-01T00:00:00Z',
    ...extra,
  });
  if ('reason' in result) throw new Error(result.message);
  return result;
}

const config = engineConfigSchema.parse({});

test('a single-observation pattern matches every observation that satisfies it', () => {
  const engine = new Engine([indicator("[process:name = 'sh']")], config);
  assert.equal(engine.process(event('sh', T0)).length, 1);
  assert.equal(engine.process(event('ls', T0 + 1)).length, 0);
  assert.equal(engine.process(event('sh', T0 + 2)).length, 1);
  assert.equal(engine.stats().matches, 2);
});

test('an indicator applies only to events within valid_from and valid_until', () => {
  const engine = new Engine(
    [
      indicator("[process:name = 'sh']", {
        valid_from: '2026-11-28T10:00:10Z',
        valid_until: '2026-11-28T10:00:20Z',
      }),
    ],
    config,
  );
  assert.equal(engine.process(event('sh', T0 + 5_000)).length, 0, 'before valid_from');
  assert.equal(engine.process(event('sh', T0 + 10_000)).length, 1, 'valid_from is inclusive');
  assert.equal(engine.process(event('sh', T0 + 20_000)).length, 0, 'valid_until is exclusive');
});

test('FOLLOWEDBY … WITHIN correlates in event time and forgets what fell out of the window', () => {
  const engine = new Engine(
    [indicator("([process:name = 'a'] FOLLOWEDBY [process:name = 'b']) WITHIN 10 SECONDS")],
    config,
  );
  assert.equal(engine.process(event('a', T0)).length, 0);
  assert.equal(engine.process(event('b', T0 + 30_000)).length, 0, 'too late');
  assert.equal(engine.stats().partial, 1, 'a at T0 expired; b kept');
  assert.equal(engine.process(event('a', T0 + 31_000)).length, 0);
  const [match] = engine.process(event('b', T0 + 35_000));
  assert.ok(match);
  assert.deepEqual(
    match.observations.map((o) => o.time),
    [T0 + 31_000, T0 + 35_000],
  );
});

test('an observation arriving late within the tolerance still correlates', () => {
  const engine = new Engine(
    [indicator("([process:name = 'a'] FOLLOWEDBY [process:name = 'b']) WITHIN 10 SECONDS")],
    config,
  );
  assert.equal(engine.process(event('b', T0 + 5_000)).length, 0);
  const matches = engine.process(event('a', T0 + 1_000));
  assert.equal(matches.length, 1, 'a happened before b, though it arrived after it');
});

test('REPEATS needs distinct observations; a match consumes none, so each later one matches again', () => {
  const engine = new Engine([indicator("[process:name = 'x'] REPEATS 3 TIMES")], config);
  const results = [0, 1, 2, 3, 4].map((i) => engine.process(event('x', T0 + i * 1000)));
  assert.deepEqual(
    results.map((matches) => matches.length),
    [0, 0, 1, 1, 1],
  );
  assert.equal(results[4]?.[0]?.observations.length, 5, 'every kept x takes part in some binding');
});

test('a match carries every kept observation that joins the new one in some binding', () => {
  const engine = new Engine(
    [indicator("([process:name = 'ln'] FOLLOWEDBY [process:name = 'cat']) WITHIN 300 SECONDS")],
    config,
  );
  const lns = [0, 1, 2].map((i) => event('ln', T0 + i));
  for (const ln of lns) assert.deepEqual(engine.process(ln), []);
  engine.process(event('sh', T0 + 3));
  const read = event('cat', T0 + 4);
  const matches = engine.process(read);
  assert.equal(matches.length, 1, 'one match per completing observation');
  assert.deepEqual(matches[0]?.observations, [...lns, read]);
  const again = engine.process(event('cat', T0 + 5));
  assert.equal(
    again[0]?.observations.length,
    4,
    'the ln events were not consumed; the first read cannot follow itself',
  );
});

test('partial matches beyond the per-indicator cap are evicted and counted', () => {
  const small = engineConfigSchema.parse({ maxPartialPerIndicator: 3 });
  const engine = new Engine([indicator("[process:name = 'a'] AND [process:name = 'never']")], small);
  for (let i = 0; i < 5; i += 1) engine.process(event('a', T0 + i));
  assert.equal(engine.stats().partial, 3);
  assert.equal(engine.stats().evictions, 2);
});

test('START/STOP bounds a single observation: start inclusive, stop exclusive', () => {
  const engine = new Engine(
    [indicator("[process:name = 's'] START t'2026-11-28T10:00:10Z' STOP t'2026-11-28T10:00:20Z'")],
    config,
  );
  assert.equal(engine.process(event('s', T0 + 9_999)).length, 0);
  assert.equal(engine.process(event('s', T0 + 10_000)).length, 1);
  assert.equal(engine.process(event('s', T0 + 20_000)).length, 0);
});

test('withIndicators keeps the partial matches of unchanged indicators, not of changed ones', () => {
  const sequence = "([process:name = 'a'] FOLLOWEDBY [process:name = 'b']) WITHIN 60 SECONDS";
  const unchanged = indicator(sequence);
  const engine = new Engine([unchanged], config);
  engine.process(event('a', T0));
  const kept = engine.withIndicators([indicator(sequence)]);
  assert.equal(kept.stats().partial, 1, 'the half-seen a survives the swap');
  assert.equal(kept.process(event('b', T0 + 1_000)).length, 1);

  const before = new Engine([unchanged], config);
  before.process(event('a', T0));
  const changed = before.withIndicators([
    indicator("([process:name = 'a'] FOLLOWEDBY [process:name = 'c']) WITHIN 60 SECONDS"),
  ]);
  assert.equal(changed.stats().partial, 0, 'a changed pattern starts afresh');
  assert.equal(changed.process(event('c', T0 + 1_000)).length, 0);
});

test('a broken pattern is rejected with the message the pattern compiler gives, lone observation or not', () => {
  const broken = [
    "[ipv4-addr:value ISSUBSET '10.0.0.0/33']",
    "[process:name = 'a'] FOLLOWEDBY [ipv4-addr:value ISSUBSET 'host']",
    "[file:created = t'2026-02-30T00:00:00Z']",
    "[process:name = 'a'",
  ];
  for (const pattern of broken) {
    let expected = '';
    try {
      compilePattern(pattern);
    } catch (error) {
      expected = error instanceof Error ? error.message : String(error);
    }
    assert.notEqual(expected, '', `${pattern} does not compile`);
    const result = activateIndicator({
      id: 'indicator--5d3c2b1a-0f9e-4d8c-b7a6-958473625140',
      pattern,
      pattern_type: 'stix',
      valid_from: '2020-01-01T00:00:00Z',
    });
    assert.ok('reason' in result && result.reason === 'invalid-pattern', pattern);
    assert.equal(result.message, expected, pattern);
  }
});

test('a lone observation compiled on first read matches as the pattern compiled at once', () => {
  const pattern = "[process:name = 'sh' AND process:pid > 1]";
  const lone = indicator(pattern);
  const bundles = asBundles([event('sh', T0)]);
  assert.equal(lone.compiled.match(bundles), true);
  assert.equal(lone.compiled.match(asBundles([event('ls', T0)])), false);
  assert.equal(lone.compiled.match(bundles), compilePattern(pattern).match(bundles));
  assert.equal(lone.compiled, lone.compiled, 'compiled once');
});
