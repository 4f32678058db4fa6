/**
 * The trie of LIKE prefixes and suffixes finds exactly the keys a value starts (ends) with, whatever
 * the keys' lengths, as comparing the value with every key would.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TextTrie } from '../../src/engine/text-trie.js';

/** Short texts over a small alphabet, so keys and values share prefixes and suffixes often. */
const text = fc.string({ unit: fc.constantFrom('a', 'b', '/', 'é', '\u{1F600}'), maxLength: 6 });

for (const fromEnd of [false, true]) {
  const side = fromEnd ? 'suffix' : 'prefix';
  test(`every ${side} key of a value is found, and only those, each as often as it was added`, () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 30 }), fc.array(text, { maxLength: 20 }), (keys, values) => {
        const trie = new TextTrie<number>(fromEnd);
        keys.forEach((key, index) => {
          trie.add(key, index);
        });
        assert.equal(trie.size, keys.length);
        for (const value of values) {
          const found: number[] = [];
          trie.lookUp(value, (index) => found.push(index));
          const expected = keys.flatMap((key, index) =>
            (fromEnd ? value.endsWith(key) : value.startsWith(key)) ? [index] : [],
          );
          assert.deepEqual(
            found.sort((a, b) => a - b),
            expected,
          );
        }
      }),
      { numRuns: 500 },
    );
  });
}

test('keys are reported shortest first', () => {
  const trie = new TextTrie<string>(false);
  for (const key of ['/usr/bin/', '/', '/usr/']) trie.add(key, key);
  const found: string[] = [];
  trie.lookUp('/usr/bin/sh', (key) => found.push(key));
  assert.deepEqual(found, ['/', '/usr/', '/usr/bin/']);
});
