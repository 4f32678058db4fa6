import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isCanonicalUtc, timestampFromEpochNanos, timestampFromText } from '../../src/observe/time.js';

test('RFC 3339 text: UTC kept with every fraction digit, offsets converted, zero time refused', () => {
  assert.deepEqual(timestampFromText('2023-10-06T22:03:57.700326678Z'), {
    iso: '2023-10-06T22:03:57.700326678Z',
    ms: Date.parse('2023-10-06T22:03:57.700Z') + 0.326678,
  });
  assert.equal(timestampFromText('2025-05-15T12:00:16+02:00')?.iso, '2025-05-15T10:00:16Z');
  assert.equal(timestampFromText('2025-05-15T12:00:16.5-01:30')?.iso, '2025-05-15T13:30:16.5Z');
  assert.equal(timestampFromText('0001-01-01T00:00:00Z'), undefined);
  assert.equal(timestampFromText('yesterday'), undefined);
  assert.equal(timestampFromText('2025-13-45T99:00:00Z'), undefined);
});

test('nanoseconds since the epoch become exact timestamps', () => {
  assert.equal(timestampFromEpochNanos('1685022245478445995')?.iso, '2023-05-25T13:44:05.478445995Z');
  assert.equal(timestampFromEpochNanos('5')?.iso, '1970-01-01T00:00:00.000000005Z');
  assert.equal(timestampFromEpochNanos('-5'), undefined);
});

test('property: nanosecond timestamps and their text agree', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 4_102_444_800_000_000_000n }), (nanos) => {
      const fromNanos = timestampFromEpochNanos(String(nanos));
      assert.ok(fromNanos !== undefined);
      const fromText = timestampFromText(fromNanos.iso);
      assert.ok(fromText !== undefined);
      assert.equal(fromText.iso, fromNanos.iso);
      assert.ok(Math.abs(fromText.ms - Number(nanos) / 1e6) < 0.001);
      assert.equal(isCanonicalUtc(fromNanos.iso), true);
    }),
    { numRuns: 300 },
  );
});

test('canonical UTC text is recognised by its shape only', () => {
  assert.equal(isCanonicalUtc('2023-10-06T21:52:41Z'), true);
  assert.equal(isCanonicalUtc('2023-10-06T21:52:41.1Z'), true);
  assert.equal(isCanonicalUtc('2023-10-06T21:52:41.Z'), false);
  assert.equal(isCanonicalUtc('2023-10-06 21:52:41Z'), false);
  assert.equal(isCanonicalUtc('2023-10-06T21:52:41+00:00'), false);
  assert.equal(isCanonicalUtc('0001-01-01T00:00:00Z'), false);
});
