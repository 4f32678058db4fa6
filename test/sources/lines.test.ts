import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { LineSplitter, splitLines, type SplitResult } from '../../src/sources/lines.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

function texts(results: readonly SplitResult[]): string[] {
  return results.map((r) => (r.kind === 'line' ? r.text : `<too-long ${r.bytes}>`));
}

/** Feeds `input` cut at the given positions, then ends the stream. */
function splitAt(input: Buffer, cuts: readonly number[], maxLineBytes?: number): SplitResult[] {
  const splitter = new LineSplitter({ maxLineBytes });
  const results: SplitResult[] = [];
  let previous = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    results.push(...splitter.push(input.subarray(previous, cut)));
    previous = cut;
  }
  results.push(...splitter.push(input.subarray(previous)));
  results.push(...splitter.end());
  return results;
}

test('splits on LF and CRLF, numbering lines and giving the offset just past each', () => {
  const splitter = new LineSplitter();
  const results = splitter.push(bytes('one\r\ntwo\nthree\n'));
  assert.deepEqual(results, [
    { kind: 'line', text: 'one', line: 1, endOffset: 5, bytes: 5 },
    { kind: 'line', text: 'two', line: 2, endOffset: 9, bytes: 4 },
    { kind: 'line', text: 'three', line: 3, endOffset: 15, bytes: 6 },
  ]);
  assert.deepEqual(splitter.end(), []);
});

test('holds a partial line until its newline arrives', () => {
  const splitter = new LineSplitter();
  assert.deepEqual(splitter.push(bytes('{"a":')), []);
  assert.equal(splitter.partialBytes, 5);
  assert.equal(splitter.heldBytes, 5);
  assert.equal(splitter.lineEndOffset, 0);
  assert.deepEqual(texts(splitter.push(bytes('1}\n{"b"'))), ['{"a":1}']);
  assert.equal(splitter.lineEndOffset, 8);
  assert.equal(splitter.consumedOffset, 12);
});

test('returns the last line without a newline at the end of the stream', () => {
  const splitter = new LineSplitter();
  splitter.push(bytes('a\nlast'));
  assert.deepEqual(splitter.end(), [{ kind: 'line', text: 'last', line: 2, endOffset: 6, bytes: 4 }]);
});

test('a CR split from its LF across chunks is still stripped', () => {
  assert.deepEqual(texts(splitAt(bytes('abc\r\ndef\r\n'), [4, 9])), ['abc', 'def']);
});

test('a UTF-8 character split across chunks decodes intact', () => {
  const input = bytes('größe 🚀 ok\n');
  for (let cut = 1; cut < input.length; cut++) {
    assert.deepEqual(texts(splitAt(input, [cut])), ['größe 🚀 ok'], `cut at ${cut}`);
  }
});

test('a line over maxLineBytes is reported, not returned, and the next line is intact', () => {
  const input = bytes(`short\n${'x'.repeat(50)}\nafter\n`);
  const results = splitAt(input, [10, 20, 30, 40], 16);
  assert.deepEqual(texts(results), ['short', '<too-long 51>', 'after']);
  assert.deepEqual(
    results.map((r) => [r.line, r.endOffset]),
    [
      [1, 6],
      [2, 57],
      [3, 63],
    ],
  );
});

test('maxLineBytes counts the line without its CRLF', () => {
  const results = splitAt(bytes('abcd\r\nabcde\r\nabcd\n'), [3], 4);
  assert.deepEqual(texts(results), ['abcd', '<too-long 7>', 'abcd']);
});

test('an oversized line is not held in memory while it streams in', () => {
  const splitter = new LineSplitter({ maxLineBytes: 1024 });
  const chunk = Buffer.alloc(4096, 0x61);
  for (let i = 0; i < 100; i++) assert.deepEqual(splitter.push(chunk), []);
  // The splitter counts the skipped bytes but has dropped them.
  assert.equal(splitter.partialBytes, 409600);
  assert.equal(splitter.heldBytes, 0);
  assert.deepEqual(texts(splitter.push(bytes('\nok\n'))), ['<too-long 409601>', 'ok']);
});

test('an oversized last line without newline is reported at the end', () => {
  assert.deepEqual(texts(splitAt(bytes('ok\n' + 'y'.repeat(20)), [5], 8)), ['ok', '<too-long 20>']);
});

test('resumes numbering and offsets from a starting point', () => {
  const splitter = new LineSplitter({ startOffset: 100, startLine: 7 });
  assert.deepEqual(splitter.push(bytes('x\n')), [
    { kind: 'line', text: 'x', line: 8, endOffset: 102, bytes: 2 },
  ]);
});

test('rejects a maxLineBytes that is not a positive integer', () => {
  assert.throws(() => new LineSplitter({ maxLineBytes: 0 }), RangeError);
  assert.throws(() => new LineSplitter({ maxLineBytes: 1.5 }), RangeError);
});

test('any chunking gives the same lines as one chunk (property)', () => {
  const lineArbitrary = fc.string({ unit: fc.constantFrom('a', 'é', '🚀', '\r', ' ', '"'), maxLength: 12 });
  fc.assert(
    fc.property(
      fc.array(lineArbitrary, { maxLength: 8 }),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 6 }),
      fc.integer({ min: 1, max: 20 }),
      (lines, crlf, rawCuts, maxLineBytes) => {
        const input = bytes(lines.map((l) => l + (crlf ? '\r\n' : '\n')).join(''));
        const cuts = rawCuts.map((c) => (input.length === 0 ? 0 : c % input.length));
        const whole = splitAt(input, [], maxLineBytes);
        assert.deepEqual(splitAt(input, cuts, maxLineBytes), whole);
        assert.equal(whole.length, lines.length);
        assert.equal(whole.at(-1)?.endOffset ?? 0, input.length);
      },
    ),
  );
});

test('splitLines splits an async stream of chunks', async () => {
  const stream = Readable.from([bytes('a\nb'), bytes('c\n'), bytes('d')]);
  const all: SplitResult[] = [];
  for await (const results of splitLines(stream)) all.push(...results);
  assert.deepEqual(texts(all), ['a', 'bc', 'd']);
});
