import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeLine, quoteUnsafeIntegers } from '../../src/observe/decode.js';
import { createObserver, isSkip } from '../../src/observe/index.js';

function reasonOf(text: string, maxLineBytes?: number): string {
  const observer = createObserver(maxLineBytes === undefined ? {} : { maxLineBytes });
  const result = observer.observe({ text, origin: { source: 'test', line: 7 } });
  assert.ok(isSkip(result), `expected a skip for ${text.slice(0, 40)}`);
  assert.equal(result.origin.line, 7);
  assert.ok(result.detail.length > 0 && result.detail.length < 300, result.detail);
  return result.reason;
}

test('every kind of bad line is a skip with its reason, never an exception', () => {
  assert.equal(reasonOf('{"process_exec": {"process": '), 'malformed-json');
  assert.equal(reasonOf('[1, 2'), 'malformed-json');
  assert.equal(reasonOf('\u0000\u0001\u0002ELF\u0003'), 'binary');
  assert.equal(reasonOf('\ufffd\ufffdPK\u0003\u0004'), 'binary');
  assert.equal(reasonOf('{"a":"\u0000'), 'binary');
  assert.equal(
    reasonOf('I0602 09:15:11.004512 1 trace.go:236] Trace[1]: "Create" plain text'),
    'unknown-format',
  );
  assert.equal(reasonOf('{"hello":"world"}'), 'unknown-format');
  assert.equal(reasonOf('42'), 'unknown-format');
  assert.equal(reasonOf('   '), 'irrelevant');
  assert.equal(reasonOf(`{"x":"${'a'.repeat(1024 * 1024)}"}`), 'line-too-long');
  // The limit counts bytes, not characters: 400,000 three-byte characters are 1.2 MB.
  assert.equal(reasonOf(`{"x":"${'€'.repeat(400_000)}"}`), 'line-too-long');
  assert.equal(reasonOf('{"a":1}', 4), 'line-too-long');
});

test('a byte-order mark before the JSON is tolerated', () => {
  const decoded = decodeLine('\ufeff{"a":1}', 100, true);
  assert.deepEqual(decoded, { ok: true, value: { a: 1 } });
});

test('integers beyond 2^53 become exact decimal strings; safe numbers and strings are untouched', () => {
  const text =
    '{"big":1685022245478445995,"neg":-9223372036854775807,"safe":9007199254740991,"float":1.5e300,"s":"12345678901234567890","arr":[18446744073709551615]}';
  const decoded = decodeLine(text, 1 << 20, true);
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.value, {
    big: '1685022245478445995',
    neg: '-9223372036854775807',
    safe: 9007199254740991,
    float: 1.5e300,
    s: '12345678901234567890',
    arr: ['18446744073709551615'],
  });
});

test('property: any big integer anywhere survives exactly; the rest parses as JSON.parse does', () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
      fc.string(),
      fc.integer(),
      (big, text, small) => {
        const line = JSON.stringify({ t: text, n: small, a: [small, text] }).replace(/}$/, `,"big":${big}}`);
        const decoded = decodeLine(line, 1 << 20, true);
        assert.ok(decoded.ok);
        const value = decoded.value as Record<string, unknown>;
        const safe = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
        assert.deepEqual(value.big, safe ? Number(big) : String(big));
        assert.equal(value.t, text);
        assert.deepEqual(value.a, [small, text]);
      },
    ),
    { numRuns: 500 },
  );
});

test('quoteUnsafeIntegers leaves invalid JSON invalid', () => {
  assert.throws(() => JSON.parse(quoteUnsafeIntegers('{"a":12345678901234567890')) as unknown);
});
