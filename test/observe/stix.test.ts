import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createObserver, isSkip } from '../../src/observe/index.js';
import { fixtureLines, observeText, subject } from './fixtures.js';

const lines = fixtureLines('stix.jsonl');

function line(index: number): string {
  const text = lines[index];
  assert.ok(text !== undefined);
  return text;
}

test('a bundle with one observed-data passes through with the SCOs it reaches', () => {
  const observation = observeText(line(0));
  assert.equal(observation.sensor, 'stix');
  assert.equal(observation.observedData.id, 'observed-data--e4e3f2c7-27d6-4d6f-9a8c-4a6d3c5e9f44');
  assert.deepEqual(
    [...observation.objects.values()].map((object) => object.type),
    ['process', 'file', 'directory'],
  );
  assert.equal(subject(observation).command_line, 'kubectl logs logger -n ssh');
  assert.equal(observation.time, Date.parse('2025-06-02T09:17:29.900Z'));
});

test('a bundle with two observed-data gives two observations through observeAll; objects not referenced stay out', () => {
  const results = createObserver().observeAll({ text: line(1), origin: { source: 'test' } });
  assert.equal(results.length, 2);
  const [, second] = results;
  assert.ok(second !== undefined && !isSkip(second));
  assert.deepEqual(
    [...second.objects.values()].map((object) => object.type),
    ['network-traffic', 'ipv4-addr'],
  );
  const single = createObserver().observe({ text: line(1), origin: { source: 'test' } });
  assert.ok(isSkip(single) && single.reason === 'unsupported-event');
});

test('a STIX 2.0 observed-data with embedded objects keeps their keys', () => {
  const observation = observeText(line(2));
  assert.deepEqual([...observation.objects.keys()], ['0', '1', '2']);
  assert.equal(observation.objects.get('2')?.image_ref, '0');
});

test('a lone indicator is irrelevant', () => {
  const result = createObserver().observe({ text: line(3), origin: { source: 'test' } });
  assert.ok(isSkip(result));
  assert.equal(result.reason, 'irrelevant');
});

test('an observation written as a bundle reads back as the same observation', () => {
  const original = observeText(fixtureLines('tetragon.jsonl')[0] ?? '');
  const bundle = {
    type: 'bundle',
    id: 'bundle--0c6a4f4e-5a8b-4c2d-9e1f-3a2b1c0d9e8f',
    objects: [original.observedData, ...original.objects.values()],
  };
  const read = observeText(JSON.stringify(bundle));
  assert.deepEqual(read.observedData, original.observedData);
  assert.deepEqual(new Set(read.objects.keys()), new Set(original.objects.keys()));
  assert.equal(read.time, original.time);
  assert.deepEqual(read.context, original.context);
});
