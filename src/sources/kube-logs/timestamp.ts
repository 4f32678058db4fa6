/**
 * The RFC3339Nano timestamps the kubelet puts in front of each log line (`timestamps=true`).
 *
 * Go's RFC3339Nano trims trailing zeros (`…:56.1234Z`, even `…:56Z`), so strings do not sort;
 * timestamps are compared as integer nanoseconds since the epoch, which a JS number cannot hold exactly.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

const NANOS_PER_SECOND = 1_000_000_000n;

/** Nanoseconds since the epoch of an RFC3339 timestamp with up to nine fraction digits, or undefined. */
export function parseTimestampNanos(text: string): bigint | undefined {
  const match = RFC3339.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const millis = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  // Date.UTC silently rolls over out-of-range fields (Feb 30); a real timestamp never needs that.
  const check = new Date(millis);
  if (check.getUTCFullYear() !== Number(year) || check.getUTCDate() !== Number(day)) return undefined;
  if (check.getUTCHours() !== Number(hour) || check.getUTCSeconds() !== Number(second)) return undefined;
  const seconds = BigInt(millis / 1000) - BigInt(zoneOffsetSeconds(zone));
  return seconds * NANOS_PER_SECOND + BigInt(fraction.padEnd(9, '0'));
}

function zoneOffsetSeconds(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
}

/**
 * The `sinceTime` to resume after `nanos`: rounded down to the whole second, because the API server
 * may keep only seconds of it; the overlap this returns is dropped by the reader.
 */
export function sinceTimeFor(nanos: bigint): string {
  const seconds = nanos / NANOS_PER_SECOND - (nanos < 0n && nanos % NANOS_PER_SECOND !== 0n ? 1n : 0n);
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Nanoseconds since the epoch of a millisecond clock reading. */
export function nanosFromMillis(millis: number): bigint {
  return BigInt(Math.floor(millis)) * 1_000_000n;
}

/** A log line with its timestamp prefix split off. */
export interface TimestampedText {
  readonly nanos: bigint;
  readonly text: string;
}

/** Splits `<RFC3339Nano> <text>`; undefined when the line has no valid timestamp prefix. */
export function splitTimestamp(line: string): TimestampedText | undefined {
  const space = line.indexOf(' ');
  const stamp = space === -1 ? line : line.slice(0, space);
  const nanos = parseTimestampNanos(stamp);
  if (nanos === undefined) return undefined;
  return { nanos, text: space === -1 ? '' : line.slice(space + 1) };
}
