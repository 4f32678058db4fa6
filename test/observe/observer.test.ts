import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createObserver, isSkip } from '../../src/observe/index.js';
import { ALL_FIXTURES, fixtureLines, observeFixture } from './fixtures.js';

const UUID = /^[a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('the same events read twice, by two observers, give identical ids and objects', () => {
  for (const name of ALL_FIXTURES) {
    const first = observeFixture(name);
    const second = observeFixture(name);
    assert.deepEqual(second, first, name);
  }
});

test('ids: UUIDv5 for SCOs with ID-contributing properties, v4 layout for process and observed-data', () => {
  const versions = new Map<string, Set<string>>();
  for (const name of ALL_FIXTURES) {
    for (const result of observeFixture(name)) {
      if (isSkip(result)) continue;
      for (const object of [result.observedData, ...result.objects.values()]) {
        const match = UUID.exec(object.id);
        assert.ok(match !== null, object.id);
        assert.ok(object.id.startsWith(`${object.type}--`));
        const set = versions.get(object.type) ?? new Set<string>();
        set.add(match[1] ?? '');
        versions.set(object.type, set);
      }
    }
  }
  for (const type of [
    'file',
    'directory',
    'user-account',
    'ipv4-addr',
    'network-traffic',
    'kubernetes-api-request',
  ]) {
    assert.deepEqual(versions.get(type), new Set(['5']), type);
  }
  for (const type of ['process', 'observed-data', 'kubernetes-pod']) {
    assert.deepEqual(versions.get(type), new Set(['4']), type);
  }
});

test('distinct events get distinct observed-data ids; equal files share one id', () => {
  const ids = new Set<string>();
  let observations = 0;
  const fileIds = new Map<string, string>();
  for (const name of ALL_FIXTURES) {
    for (const result of observeFixture(name)) {
      if (isSkip(result)) continue;
      observations++;
      ids.add(result.observedData.id);
      for (const object of result.objects.values()) {
        if (object.type !== 'directory') continue;
        const known = fileIds.get(String(object.path));
        assert.ok(known === undefined || known === object.id);
        fileIds.set(String(object.path), object.id);
      }
    }
  }
  // Two Redpanda lines and the Vector envelope repeat events of tetragon.jsonl: same ids by design.
  assert.equal(ids.size, observations - 3);
});

test('counters add up by sensor and by reason', () => {
  const observer = createObserver();
  let lines = 0;
  for (const name of ALL_FIXTURES) {
    observeFixture(name, observer);
    lines += fixtureLines(name).length;
  }
  const counters = observer.counters();
  const observed = Object.values(counters.observed).reduce((sum, count) => sum + count, 0);
  const skipped = Object.values(counters.skipped).reduce((sum, count) => sum + count, 0);
  // The audit EventList line gives two results.
  assert.equal(observed + skipped, lines + 1);
  assert.ok(counters.observed.tetragon > 0 && counters.observed['k8s-audit'] > 0);
  assert.ok(counters.observed.falco > 0 && counters.observed.kubescape > 0);
  assert.equal(counters.skipped.duplicate, 1);
});

test('property: arbitrary text and arbitrary JSON never throw, and always give a result', () => {
  const observer = createObserver();
  const check = (text: string) => {
    for (const result of observer.observeAll({ text, origin: { source: 'fuzz' } })) {
      assert.ok(isSkip(result) ? result.detail.length > 0 : result.objects.size > 0);
    }
  };
  fc.assert(fc.property(fc.string(), check), { numRuns: 500 });
  fc.assert(fc.property(fc.json(), check), { numRuns: 500 });
  const sample = fixtureLines('tetragon.jsonl')[0] ?? '';
  // Mangled real lines: every prefix of a sensor line.
  for (let end = 0; end < sample.length; end += 37) check(sample.slice(0, end));
});

test('big integers found while mapping: the line is decoded again, exactly, with no side effect of the first try', () => {
  const audit = JSON.parse(fixtureLines('k8s-audit.jsonl')[1] ?? '{}') as Record<string, unknown>;
  const withBig = JSON.stringify({ ...audit, requestObject: { kind: 'ConfigMap', data: { n: 1 } } }).replace(
    '"n":1',
    '"n":123456789012345678901,"f":1.5e300',
  );
  const observer = createObserver();
  const result = observer.observe({ text: withBig, origin: { source: 'test' } });
  // The first, optimistic try must not have recorded the audit id: this is no duplicate.
  assert.ok(!isSkip(result), isSkip(result) ? result.detail : '');
  const configMap = [...result.objects.values()].find((object) => object.type === 'kubernetes-config-map');
  // Integers become exact strings; a float written as a float stays a number.
  assert.deepEqual(configMap?.data, { n: '123456789012345678901', f: 1.5e300 });
  const again = observer.observe({ text: withBig, origin: { source: 'test' } });
  assert.ok(isSkip(again) && again.reason === 'duplicate');
});

test('big integers in passed-through STIX are exact too', () => {
  const bundle = fixtureLines('stix.jsonl')[0] ?? '';
  const text = bundle.replace('"pid":4242', '"pid":4242,"x_size":98765432109876543210');
  const result = createObserver().observe({ text, origin: { source: 'test' } });
  assert.ok(!isSkip(result));
  const process = [...result.objects.values()].find((object) => object.type === 'process');
  assert.equal(process?.x_size, '98765432109876543210');
});

test('the observed-data id is a plain property to JSON, spreads and key lists, first after type and spec_version', () => {
  for (const name of ALL_FIXTURES) {
    for (const result of observeFixture(name)) {
      if (isSkip(result)) continue;
      const { observedData } = result;
      const json = JSON.parse(JSON.stringify(observedData)) as Record<string, unknown>;
      assert.equal(json.id, observedData.id, name);
      assert.equal({ ...observedData }.id, observedData.id, name);
      assert.deepEqual(Object.keys(observedData).slice(0, 3), ['type', 'spec_version', 'id'], name);
      assert.ok(Object.isFrozen(observedData), name);
    }
  }
});
