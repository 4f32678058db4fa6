import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTimestampNanos, sinceTimeFor, splitTimestamp } from '../../src/sources/kube-logs/timestamp.js';

test('RFC3339Nano timestamps become exact nanoseconds, whatever the number of fraction digits', () => {
  const base = BigInt(Date.UTC(2026, 10, 28, 4, 0, 1)) * 1_000_000n;
  assert.equal(parseTimestampNanos('2026-11-28T04:00:01Z'), base);
  assert.equal(parseTimestampNanos('2026-11-28T04:00:01.1Z'), base + 100_000_000n);
  assert.equal(parseTimestampNanos('2026-11-28T04:00:01.000000001Z'), base + 1n);
  assert.equal(parseTimestampNanos('2026-11-28T04:00:01.123456789Z'), base + 123_456_789n);
  assert.equal(parseTimestampNanos('2026-11-28T06:30:01.5+02:30'), base + 500_000_000n);
});

test('timestamps order by time, not as strings (Go trims trailing zeros)', () => {
  const whole = parseTimestampNanos('2026-11-28T04:00:01Z');
  const later = parseTimestampNanos('2026-11-28T04:00:01.1Z');
  assert.ok(whole !== undefined && later !== undefined);
  const [wholeText, laterText] = ['2026-11-28T04:00:01Z', '2026-11-28T04:00:01.1Z'];
  assert.ok(wholeText > laterText, 'as strings, the earlier one sorts last');
  assert.ok(whole < later);
});

test('malformed or impossible timestamps are refused', () => {
  for (const text of [
    '',
    'hello',
    '2026-11-28 04:00:01Z',
    '2026-11-28T04:00:01',
    '2026-11-28T04:00:01.1234567890Z',
    '2026-02-30T04:00:01Z',
    '2026-11-28T25:00:01Z',
    '2026-11-28T04:00:61Z',
  ]) {
    assert.equal(parseTimestampNanos(text), undefined, text);
  }
});

test('sinceTime rounds down to the whole second, so the server never skips a line after the last one read', () => {
  const nanos = parseTimestampNanos('2026-11-28T04:00:01.999999999Z');
  assert.ok(nanos !== undefined);
  assert.equal(sinceTimeFor(nanos), '2026-11-28T04:00:01Z');
  const exact = parseTimestampNanos('2026-11-28T04:00:01Z');
  assert.ok(exact !== undefined);
  assert.equal(sinceTimeFor(exact), '2026-11-28T04:00:01Z');
});

test('the timestamp prefix is split off the line at the first space only', () => {
  const split = splitTimestamp('2026-11-28T04:00:01.5Z {"a": "b c"}');
  assert.equal(split?.text, '{"a": "b c"}');
  assert.equal(split.nanos, parseTimestampNanos('2026-11-28T04:00:01.5Z'));
  assert.equal(splitTimestamp('2026-11-28T04:00:01.5Z')?.text, '');
  assert.equal(splitTimestamp('no timestamp here'), undefined);
});
