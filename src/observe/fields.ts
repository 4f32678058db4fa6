/**
 * Field readers for decoded JSON. Sensor events are checked with these hand-written guards rather
 * than zod: they run once per event on the hot path, where a schema parse would cost more than the
 * JSON parse itself. Each returns undefined when the field is absent or of the wrong type.
 */

export type JsonRecord = Readonly<Record<string, unknown>>;

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
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

/** An integer of any size as exact decimal text (a number, or the decimal string decode.ts made of a big one). */
export function integerTextAt(source: JsonRecord | undefined, key: string): string | undefined {
  const value = source?.[key];
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
  return typeof value === 'string' && /^-?\d+$/.test(value) ? value : undefined;
}

/** Copies `source` without `omit` keys and without undefined/null values; undefined when nothing is left. */
export function without(
  source: JsonRecord | undefined,
  omit: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  if (source === undefined) return undefined;
  const copy: Record<string, unknown> = {};
  let empty = true;
  for (const key in source) {
    const value = source[key];
    if (omit.has(key) || value === undefined || value === null) continue;
    copy[key] = value;
    empty = false;
  }
  return empty ? undefined : copy;
}
