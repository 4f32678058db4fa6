import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { arrayElementSpans } from '../../src/sources/audit-webhook/event-list.js';

function slices(json: string, key: string): string[] | undefined {
  return arrayElementSpans(json, key)?.map(([start, end]) => json.slice(start, end));
}

test('the spans of an array are its elements as written, whatever they contain', () => {
  const json =
    ' { "a" : [1, {"items": [9]}] , "items" : [ {"s":"] } , \\" ["} , [ ] ,"x\\\\" , -1.5e3 ,true, null ] } ';
  assert.deepEqual(slices(json, 'items'), [
    '{"s":"] } , \\" ["}',
    '[ ]',
    '"x\\\\"',
    '-1.5e3',
    'true',
    'null',
  ]);
  assert.deepEqual(slices('{"items":[]}', 'items'), []);
});

test('no array under the key: undefined; duplicate keys: the last wins, as in JSON.parse', () => {
  assert.equal(arrayElementSpans('{"other":[1]}', 'items'), undefined);
  assert.equal(arrayElementSpans('{"items":{"0":1}}', 'items'), undefined);
  assert.equal(arrayElementSpans('[1,2]', 'items'), undefined);
  assert.deepEqual(slices('{"items":[1],"items":[2,3]}', 'items'), ['2', '3']);
  assert.deepEqual(slices('{"\\u0069tems":[4]}', 'items'), ['4']);
});

test('every span parses to the element JSON.parse finds (property)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.jsonValue()),
      fc.jsonValue(),
      fc.constantFrom(undefined, 1, 2, '\t'),
      (items, other, indent) => {
        const json = JSON.stringify({ before: other, items, after: other }, null, indent);
        const parsed = JSON.parse(json) as { items: unknown[] };
        const found = slices(json, 'items')?.map((slice) => JSON.parse(slice) as unknown);
        assert.deepEqual(found, parsed.items);
      },
    ),
    { numRuns: 300 },
  );
});
