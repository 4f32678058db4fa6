import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ObservationInputError, readObservations } from '../../src/pattern/observation-input.js';
import {
  createObservationView,
  createObservationViewV20,
  type JsonObject,
} from '../../src/pattern/observations.js';
import { parseTimestamp } from '../../src/pattern/values/timestamp.js';
import { bundle, observedDataV20 } from './observation-fixtures.js';

const process1 = { type: 'process', id: 'process--1', pid: 1, image_ref: 'file--1' };
const file1 = { type: 'file', id: 'file--1', name: 'sh' };
const identity = { type: 'identity', id: 'identity--1', name: 'x' };

test('a 2.1 view: roots are the objects object_refs names, grouped by type; SDOs and SROs are not roots', () => {
  const objects = new Map<string, JsonObject>([
    ['process--1', process1],
    ['file--1', file1],
    ['identity--1', identity],
    ['file--2', { type: 'file', id: 'file--2' }],
  ]);
  const observedData = {
    type: 'observed-data',
    id: 'observed-data--1',
    object_refs: ['process--1', 'file--1', 'identity--1', 'file--404', 'process--1'],
  };
  const view = createObservationView(observedData, objects);
  assert.deepEqual(view.rootsByType.get('process'), [process1], 'a duplicated ref is one root');
  assert.deepEqual(view.rootsByType.get('file'), [file1], 'file--2 is not named by object_refs');
  assert.equal(view.rootsByType.get('identity'), undefined);
  assert.equal(view.resolve('file--1'), file1);
  assert.equal(view.resolve('file--2'), undefined, 'references resolve only among named objects');
  assert.equal(view.resolve('observed-data--1'), observedData);
});

test('a 2.0 view: every embedded object is a root and referable by its key', () => {
  const objects = new Map<string, JsonObject>([
    ['0', { type: 'file', name: 'a' }],
    ['1', { type: 'directory', path: '/' }],
    ['2', { name: 'no type' }],
  ]);
  const view = createObservationViewV20(objects);
  assert.equal(view.rootsByType.get('file')?.length, 1);
  assert.equal(view.rootsByType.get('directory')?.length, 1);
  assert.equal(view.resolve('2'), objects.get('2'));
});

test('2.1 input: every bundle goes into one pool, so SCOs may arrive in another bundle (as the reference)', () => {
  const observedData = bundle([process1], { refs: ['process--1', 'file--1'] });
  const elsewhere = { type: 'bundle', id: 'bundle--x', objects: [file1] };
  const [observation, ...rest] = readObservations([observedData, elsewhere], '2.1');
  assert.equal(rest.length, 0, 'one observed-data, one observation');
  assert.deepEqual(observation?.view.rootsByType.get('file'), [file1]);
});

test('2.1 input: times and number_observed are read at full precision', () => {
  const [observation] = readObservations(
    [bundle([file1], { first: '2020-01-01T00:00:00.123456789Z', last: '2020-01-01T00:00:01Z', count: 4 })],
    '2.1',
  );
  assert.deepEqual(observation?.firstObserved, parseTimestamp('2020-01-01T00:00:00.123456789Z'));
  assert.deepEqual(observation?.lastObserved, parseTimestamp('2020-01-01T00:00:01Z'));
  assert.equal(observation?.numberObserved, 4);
});

test('2.0 input: observed-data with embedded objects; objects may be absent', () => {
  const observations = readObservations(
    [observedDataV20([file1]), { ...observedDataV20([]), objects: undefined }],
    '2.0',
  );
  assert.equal(observations.length, 2);
  assert.equal(observations[0]?.view.rootsByType.get('file')?.length, 1);
  assert.equal(observations[1]?.view.rootsByType.size, 0);
});

test('malformed input raises ObservationInputError naming where', () => {
  const good = bundle([file1]);
  const observedData = (good.objects as Record<string, unknown>[])[0] ?? {};
  const withObservedData = (changes: Record<string, unknown>) => ({
    ...good,
    objects: [{ ...observedData, ...changes }, file1],
  });
  const cases: [unknown, string, RegExp][] = [
    [{}, '2.1', /must be a list/],
    [[42], '2.1', /bundle must be an object/],
    [[{ type: 'bundle' }], '2.1', /must have objects/],
    [[{ objects: 'x' }], '2.1', /objects must be a list/],
    [[{ objects: [{ id: 'x' }] }], '2.1', /string type/],
    [[{ objects: [{ type: 'file' }] }], '2.1', /string id/],
    [[withObservedData({ object_refs: undefined })], '2.1', /object_refs/],
    [[withObservedData({ number_observed: undefined })], '2.1', /number_observed, first_observed/],
    [[withObservedData({ number_observed: 0 })], '2.1', /at least 1/],
    [[withObservedData({ number_observed: 1.5 })], '2.1', /integer/],
    [[withObservedData({ first_observed: '2020-01-01' })], '2.1', /not a STIX timestamp/],
    [[withObservedData({ last_observed: '2019-01-01T00:00:00Z' })], '2.1', /before first_observed/],
    [[{ ...observedDataV20([]), objects: [] }], '2.0', /dictionary/],
    [['x'], '2.0', /must be an object/],
  ];
  for (const [input, version, message] of cases) {
    assert.throws(
      () => readObservations(input, version as '2.0' | '2.1'),
      (error: unknown) => error instanceof ObservationInputError && message.test(error.message),
      `${JSON.stringify(input).slice(0, 80)} → ${String(message)}`,
    );
  }
});

test('the error path points into the input', () => {
  try {
    readObservations([bundle([file1]), { objects: [file1, { type: 'file' }] }], '2.1');
    assert.fail('no error');
  } catch (error) {
    assert.ok(error instanceof ObservationInputError);
    assert.equal(error.path, '[1].objects[1]');
  }
});
