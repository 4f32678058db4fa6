/**
 * The index only chooses which comparison expressions meet an observation: over realistic traffic and
 * thousands of generated indicators, the indexed engine reports exactly the matches of the engine that
 * tests every expression against every observation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, engineConfigSchema } from '../../src/engine/index.js';
import { generateBenignLines } from '../fixtures/benign/generate.js';
import { processObservation } from '../helpers/observation.js';
import { activateAll, describeMatches, observeAll } from './engine-runs.js';
import { IndicatorGenerator, collectVocabulary } from './indicator-generator.js';
import { prng } from './random.js';

test('the indexed engine reports exactly the matches of testing every indicator on every event', () => {
  const observations = observeAll(generateBenignLines({ count: 2000, seed: 11, sensor: 'tetragon' }));
  const vocabulary = collectVocabulary(observations);
  const generator = new IndicatorGenerator(vocabulary, prng(4242), {
    hitRate: 0.05,
    multiRate: 0.15,
    unindexable: true,
  });
  const indicators = activateAll(generator.indicators(2000));
  assert.ok(indicators.length > 1900, `${indicators.length} indicators compiled`);
  const config = engineConfigSchema.parse({ maxBindingsPerMatch: 100_000 });
  const indexed = new Engine(indicators, config);
  const everything = new Engine(indicators, config, { indexed: false });
  let matched = 0;
  for (const observation of observations) {
    const expected = describeMatches(everything.process(observation));
    assert.deepEqual(describeMatches(indexed.process(observation)), expected);
    matched += expected.length;
  }
  assert.ok(matched > 200, `${matched} matches: both outcomes must be common`);
  const saved = indexed.stats().leafTests / everything.stats().leafTests;
  assert.ok(saved < 0.2, `the index tests ${saved.toFixed(3)} of what testing everything does`);
  assert.ok(indexed.warnings.some((w) => w.code === 'unindexed-comparison'));
});

test('each kind of key finds its values: equality, IN, LIKE prefix and suffix, IPv4 and IPv6 networks', () => {
  const patterns = [
    "[process:name = 'curl']",
    "[process:name IN ('wget', 'curl')]",
    "[process:command_line LIKE 'curl %']",
    "[process:command_line LIKE '%example.org']",
    "[ipv4-addr:value ISSUBSET '10.1.0.0/16']",
    "[ipv6-addr:value ISSUBSET 'fd00::/8']",
    '[process:pid = 42]',
    "[process:name = 'curl' AND process:pid > 40]",
    "[process:name = 'nope' OR process:pid = 42]",
  ];
  const indicators = activateAll(
    patterns.map((pattern, i) => ({
      id: `indicator--${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
      pattern,
      pattern_type: 'stix',
      valid_from: '2020-01-01T00:00:00Z',
    })),
  );
  const engine = new Engine(indicators, engineConfigSchema.parse({}));
  assert.deepEqual(engine.warnings, [], 'all of them are indexed');
  const roots = [
    { type: 'process', id: 'process--1', name: 'curl', pid: 42, command_line: 'curl https://example.org' },
    { type: 'ipv4-addr', id: 'ipv4-addr--1', value: '10.1.2.3' },
    { type: 'ipv6-addr', id: 'ipv6-addr--1', value: 'fd12::1' },
  ];
  const matches = engine.process(processObservation({ time: Date.now(), roots }));
  assert.equal(matches.length, patterns.length);
  const misses = engine.process(
    processObservation({
      time: Date.now(),
      roots: [
        { type: 'process', id: 'process--2', name: 'cur', pid: 41, command_line: 'curlexample.com' },
        { type: 'ipv4-addr', id: 'ipv4-addr--2', value: '10.2.0.1' },
        { type: 'ipv6-addr', id: 'ipv6-addr--2', value: 'fe80::1' },
      ],
    }),
  );
  assert.deepEqual(misses, []);
});

test('IPv4 networks of every prefix length, at the edges of the address space, as the predicate decides them', () => {
  const networks = ['0.0.0.0/0', '128.0.0.0/1', '10.0.0.0/8', '10.1.2.0/24', '10.1.2.2/31', '10.1.2.3/32'];
  const networksV6 = ['::/0', 'fd00::/8', 'fd12::1/128'];
  const indicators = activateAll(
    [
      ...networks.map((n) => `ipv4-addr:value ISSUBSET '${n}'`),
      ...networksV6.map((n) => `ipv6-addr:value ISSUBSET '${n}'`),
    ].map((comparison, i) => ({
      id: `indicator--${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
      pattern: `[${comparison}]`,
      pattern_type: 'stix',
      valid_from: '2020-01-01T00:00:00Z',
    })),
  );
  const config = engineConfigSchema.parse({});
  const indexed = new Engine(indicators, config);
  const everything = new Engine(indicators, config, { indexed: false });
  const addresses = [
    '0.0.0.0',
    '127.255.255.255',
    '128.0.0.0',
    '255.255.255.255',
    '10.1.2.2',
    '10.1.2.3',
    '10.1.3.3',
  ];
  const addressesV6 = ['::', 'fd12::1', 'fd12::2', 'ffff::1'];
  let matched = 0;
  for (const [type, value] of [
    ...addresses.map((a) => ['ipv4-addr', a] as const),
    ...addressesV6.map((a) => ['ipv6-addr', a] as const),
  ]) {
    const observation = processObservation({ time: Date.now(), roots: [{ type, id: `${type}--1`, value }] });
    const expected = describeMatches(everything.process(observation));
    assert.deepEqual(describeMatches(indexed.process(observation)), expected, value);
    matched += expected.length;
  }
  // Every address is in /0 of its family; some are in the narrower ones too.
  assert.ok(matched > addresses.length + addressesV6.length, `${matched} matches`);
});

test('what a frozen object leads to through a reference is looked up per observation, not remembered', () => {
  const indicators = activateAll(
    ["[process:parent_ref.image_ref.name = 'wget']", "[process:extensions.'x-sensor'.action = 'kill']"].map(
      (pattern, i) => ({
        id: `indicator--${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
        pattern,
        pattern_type: 'stix',
        valid_from: '2020-01-01T00:00:00Z',
      }),
    ),
  );
  const config = engineConfigSchema.parse({});
  const indexed = new Engine(indicators, config);
  const everything = new Engine(indicators, config, { indexed: false });
  // Shared between observations and frozen, as observers share a parent and a Kubernetes extension.
  const parent = Object.freeze({ type: 'process', id: 'process--parent', image_ref: 'file--image' });
  const extension = Object.freeze({ action: 'kill' });
  const observationWith = (imageName: string, child: number) =>
    processObservation({
      time: Date.now(),
      roots: [
        {
          type: 'process',
          id: `process--child-${child}`,
          parent_ref: parent.id,
          extensions: { 'x-sensor': extension },
        },
        parent,
        { type: 'file', id: 'file--image', name: imageName },
      ],
    });
  const seen: string[][] = [];
  for (const [child, imageName] of ['curl', 'wget', 'curl', 'wget'].entries()) {
    const observation = observationWith(imageName, child);
    const expected = describeMatches(everything.process(observation));
    assert.deepEqual(describeMatches(indexed.process(observation)), expected, imageName);
    seen.push(expected);
  }
  // The image differs from one observation to the next, the frozen extension matches in all of them.
  assert.deepEqual(
    seen.map((matches) => matches.length),
    [1, 2, 1, 2],
  );
});
