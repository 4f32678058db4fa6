/**
 * Field readers for decoded JSON. Sensor events are checked with these hand-written guards rather
 * than zod: they run once per event on the hot path, where a schema parse would cost more than the
 * JSON parse itself. Each returns undefined when the field is absent or of the wrong type.
 */

export type JsonRecord = Readonly<Record<string, unknown>>;

/**
 * Thrown when a number JSON.parse may have rounded (an integer literal beyond 2^53 always parses to
 * a double of magnitude 2^53 or more) reaches the mapping. Every number the mapping carries into
 * STIX passes `checkedNumber` (through `stixValue`, `integerAt`, `integerTextAt`), so lines without
 * such numbers pay nothing; the observer decodes a line that throws this again, losslessly.
 */
export class RoundedNumberError extends Error {
  constructor() {
    super('a number beyond 2^53 needs the lossless decoding');
  }
}

/** One instance, thrown every time: building an Error captures a stack trace, which costs more than the mapping. */
const ROUNDED = new RoundedNumberError();
const TWO_TO_53 = 2 ** 53;
/** True while mapping a losslessly decoded line: numbers of 2^53 or more left in it were written as floats. */
let roundedNumbersAreFloats = false;

function checkedNumber(value: number): number {
  if (!roundedNumbersAreFloats && (value >= TWO_TO_53 || value <= -TWO_TO_53)) throw ROUNDED;
  return value;
}

/** Runs `map` over a losslessly decoded line, where big numbers are genuine floats (see `RoundedNumberError`). */
export function mapLosslessly<T>(map: () => T): T {
  const previous = roundedNumbersAreFloats;
  roundedNumbersAreFloats = true;
  try {
    return map();
  } finally {
    roundedNumbersAreFloats = previous;
  }
}

/** Throws `RoundedNumberError` when any number in `value` may have been rounded (for data mapped without `stixValue`). */
export function checkNumbers(value: unknown): void {
  if (typeof value === 'number') checkedNumber(value);
  else if (Array.isArray(value)) for (const item of value) checkNumbers(item);
  else if (isRecord(value)) for (const key in value) checkNumbers(value[key]);
}

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function recordAt(source: JsonRecord | undefined, key: string): JsonRecord | undefined {
  const value = source?.[key];
  return isRecord(value) ? value : undefined;
}

export function stringAt(source: JsonRecord | undefined, key: string): string | undefined {
  const value = source?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** A non-empty string. */
export function textAt(source: JsonRecord | undefined, key: string): string | undefined {
  const value = source?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function arrayAt(source: JsonRecord | undefined, key: string): readonly unknown[] | undefined {
  const value = source?.[key];
  return Array.isArray(value) ? value : undefined;
}

/**
 * An integer that fits a JavaScript number exactly. Integers beyond 2^53 arrive as decimal strings
 * (see decode.ts) and are not returned here: callers that may see them use `integerTextAt`.
 */
export function integerAt(source: JsonRecord | undefined, key: string): number | undefined {
  const value = source?.[key];
  if (typeof value === 'number') return Number.isSafeInteger(checkedNumber(value)) ? value : undefined;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

/** An integer of any size as exact decimal text (a number, or the decimal string decode.ts made of a big one). */
export function integerTextAt(source: JsonRecord | undefined, key: string): string | undefined {
  const value = source?.[key];
  if (typeof value === 'number')
    return Number.isSafeInteger(checkedNumber(value)) ? String(value) : undefined;
  return typeof value === 'string' && /^-?\d+$/.test(value) ? value : undefined;
}

/** Copies `source` without `omit` keys, made fit for STIX (`stixValue`); undefined when nothing is left. */
export function without(
  source: JsonRecord | undefined,
  omit: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  if (source === undefined) return undefined;
  const copy: Record<string, unknown> = {};
  return copyInto(copy, source, omit) ? copy : undefined;
}

/** Copies the fields of `source` but `omit` into `target`, made fit for STIX; false when none was copied. */
export function copyInto(
  target: Record<string, unknown>,
  source: JsonRecord,
  omit: ReadonlySet<string>,
): boolean {
  let copied = false;
  for (const key in source) {
    if (omit.has(key)) continue;
    const cleaned = stixValue(source[key]);
    if (cleaned === undefined) continue;
    target[key] = cleaned;
    copied = true;
  }
  return copied;
}

/**
 * Foreign data made fit for STIX, which forbids empty lists (and has no use for null): nulls and
 * empty arrays are dropped at every depth. Returns the input itself when nothing had to change, so
 * the common case allocates nothing.
 */
export function stixValue(value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value === 'number') return checkedNumber(value);
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return stixArray(value);
  return stixRecord(value as JsonRecord);
}

function stixArray(items: readonly unknown[]): unknown {
  if (items.length === 0) return undefined;
  let copy: unknown[] | undefined;
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const cleaned = stixValue(item);
    if (cleaned !== item && copy === undefined) copy = items.slice(0, index);
    if (copy !== undefined && cleaned !== undefined) copy.push(cleaned);
  }
  if (copy === undefined) return items;
  return copy.length === 0 ? undefined : copy;
}

function stixRecord(record: JsonRecord): JsonRecord {
  let copy: Record<string, unknown> | undefined;
  for (const key in record) {
    const item = record[key];
    const cleaned = stixValue(item);
    if (cleaned === item) continue;
    copy ??= { ...record };
    if (cleaned === undefined) Reflect.deleteProperty(copy, key);
    else copy[key] = cleaned;
  }
  return copy ?? record;
}
