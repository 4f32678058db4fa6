/**
 * STIX timestamps at full precision (STIX 2.1 Part 3.2 "timestamp": RFC 3339, UTC, upper-case `T` and `Z`,
 * any number of fractional-second digits). Kept as whole seconds plus nanoseconds, because epoch
 * nanoseconds do not fit a double.
 */
export interface Timestamp {
  /** Whole seconds since 1970-01-01T00:00:00Z (may be negative). */
  readonly seconds: number;
  /** 0 … 999 999 999. */
  readonly nanos: number;
}

const TIMESTAMP_SYNTAX = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;
const NANOS_PER_SECOND = 1_000_000_000;

/**
 * Parses `YYYY-MM-DDTHH:mm:ss[.fraction]Z`; anything else (lower-case t/z, offsets, impossible dates,
 * leap seconds) is not a timestamp and yields undefined. Digits beyond the ninth are dropped (sub-nanosecond).
 */
export function parseTimestamp(text: string): Timestamp | undefined {
  const parts = TIMESTAMP_SYNTAX.exec(text);
  if (parts === null) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = parts[7] ?? '';
  const nanos = fraction === '' ? 0 : Number(fraction.slice(0, 9).padEnd(9, '0'));
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear undoes that.
  const date = new Date(epochMs);
  date.setUTCFullYear(year);
  return { seconds: date.getTime() / 1000, nanos };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Negative, zero or positive as a is before, at or after b. */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}

/** `t` plus a non-negative duration in seconds (fractions kept to the nanosecond). */
export function addSeconds(t: Timestamp, seconds: number): Timestamp {
  const whole = Math.floor(seconds);
  const nanos = t.nanos + Math.round((seconds - whole) * NANOS_PER_SECOND);
  const carry = Math.floor(nanos / NANOS_PER_SECOND);
  return { seconds: t.seconds + whole + carry, nanos: nanos - carry * NANOS_PER_SECOND };
}

/** Milliseconds since the epoch (fractions allowed), for callers that keep event time as a number. */
export function timestampToEpochMs(t: Timestamp): number {
  return t.seconds * 1000 + t.nanos / 1_000_000;
}
