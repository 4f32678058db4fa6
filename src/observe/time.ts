/** An event time: STIX timestamp text (UTC, `Z`, the source's own fraction digits kept) and ms since the epoch. */
export interface Timestamp {
  readonly iso: string;
  /** Milliseconds since the epoch, fractions allowed (sub-millisecond digits kept as far as a double can). */
  readonly ms: number;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses an RFC 3339 timestamp. UTC text keeps every fraction digit (Tetragon and Falco give
 * nanoseconds); other offsets are converted to UTC. Undefined when not a timestamp, or for Go's
 * zero time `0001-01-01T00:00:00Z`, which sensors write when they do not know.
 */
export function timestampFromText(text: string): Timestamp | undefined {
  if (isCanonicalUtc(text)) {
    // The common form: Date.parse reads it (to the millisecond); the digits beyond are added.
    const ms = Date.parse(text);
    if (!Number.isNaN(ms))
      return { iso: text, ms: text.length > 24 ? ms + Number(`0.${text.slice(23, -1)}`) : ms };
  }
  const parts = RFC3339.exec(text);
  if (parts === null) return undefined;
  const [, date = '', clock = '', fraction, zone = 'Z'] = parts;
  if (date.startsWith('0001-')) return undefined;
  const utc = zone === 'Z' || zone === 'z';
  const seconds = Date.parse(`${date}T${clock}${utc ? 'Z' : zone}`);
  if (Number.isNaN(seconds)) return undefined;
  const fractionMs = fraction === undefined ? 0 : Number(`0.${fraction}`) * 1000;
  const digits = fraction === undefined ? '' : `.${fraction}`;
  const iso = utc
    ? `${date}T${clock}${digits}Z`
    : `${new Date(seconds).toISOString().slice(0, 19)}${digits}Z`;
  return { iso, ms: seconds + fractionMs };
}

/** A time given as nanoseconds since the epoch (an exact decimal string or a safe integer), without rounding. */
export function timestampFromEpochNanos(nanos: string): Timestamp | undefined {
  if (!/^\d{1,30}$/.test(nanos)) return undefined;
  const total = BigInt(nanos);
  const seconds = Number(total / 1_000_000_000n);
  const remainder = Number(total % 1_000_000_000n);
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = `${date.toISOString().slice(0, 19)}.${String(remainder).padStart(9, '0')}Z`;
  return { iso, ms: seconds * 1000 + remainder / 1e6 };
}

/**
 * True for `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, checked character by character: the form Tetragon
 * writes, which needs no parsing when only the text is wanted. (Dates from year 1000 on.)
 */
export function isCanonicalUtc(text: string): boolean {
  const length = text.length;
  if (length < 20 || text.charCodeAt(length - 1) !== 0x5a || text.charCodeAt(10) !== 0x54) return false;
  if (text.charCodeAt(0) === 0x30 || length === 21) return false;
  for (let index = 0; index < length - 1; index++) {
    const code = text.charCodeAt(index);
    const expected = CANONICAL_SHAPE.charCodeAt(Math.min(index, CANONICAL_SHAPE.length - 1));
    if (expected === 0x39 ? code < 0x30 || code > 0x39 : code !== expected) return false;
  }
  return true;
}

/** 9 = a digit; the last 9 repeats for every fraction digit. */
const CANONICAL_SHAPE = '9999-99-99T99:99:99.9';
