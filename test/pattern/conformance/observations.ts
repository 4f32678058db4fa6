/**
 * Builders for the observations a case matches against: STIX 2.1 bundles (observed-data plus the SCOs
 * its object_refs name) and STIX 2.0 observed-data with embedded objects.
 */

export type JsonObject = Record<string, unknown>;

export interface ObservedOptions {
  /** first_observed; default 2020-01-01T00:00:00Z. */
  readonly first?: string;
  /** last_observed; default equal to first. */
  readonly last?: string;
  /** number_observed; default 1. */
  readonly count?: number;
  /** SCOs placed in the bundle but left out of object_refs (9.7.4: such objects are not found). */
  readonly unlisted?: readonly JsonObject[];
}

export const DEFAULT_TIME = '2020-01-01T00:00:00Z';

let sequence = 0;

function uuidTail(n: number): string {
  return n.toString(16).padStart(12, '0');
}

/** A deterministic STIX identifier: `type--00000000-0000-4000-8000-<n>`. */
export function stixId(type: string, n: number): string {
  return `${type}--00000000-0000-4000-8000-${uuidTail(n)}`;
}

function withId(object: JsonObject): JsonObject {
  if (typeof object.id === 'string') return object;
  sequence += 1;
  return { id: stixId(String(object.type), 0x100000 + sequence), ...object };
}

/** One STIX 2.1 bundle holding one observed-data and its SCOs (each SCO without an id gets a fresh one). */
export function observed(objects: readonly JsonObject[], options: ObservedOptions = {}): JsonObject {
  sequence += 1;
  const first = options.first ?? DEFAULT_TIME;
  const scos = objects.map(withId);
  const unlisted = (options.unlisted ?? []).map(withId);
  return {
    type: 'bundle',
    id: stixId('bundle', sequence),
    objects: [
      {
        type: 'observed-data',
        spec_version: '2.1',
        id: stixId('observed-data', sequence),
        created: DEFAULT_TIME,
        modified: DEFAULT_TIME,
        first_observed: first,
        last_observed: options.last ?? first,
        number_observed: options.count ?? 1,
        object_refs: scos.map((sco) => sco.id),
      },
      ...scos,
      ...unlisted,
    ],
  };
}

/** One STIX 2.0 observed-data with embedded objects keyed '0', '1', … (or by the keys given). */
export function observed20(
  objects: readonly JsonObject[] | Readonly<Record<string, JsonObject>>,
  options: ObservedOptions = {},
): JsonObject {
  sequence += 1;
  const first = options.first ?? DEFAULT_TIME;
  const keyed = Array.isArray(objects) ? Object.fromEntries(objects.map((o, i) => [String(i), o])) : objects;
  return {
    type: 'observed-data',
    id: stixId('observed-data', sequence),
    created: DEFAULT_TIME,
    modified: DEFAULT_TIME,
    first_observed: first,
    last_observed: options.last ?? first,
    number_observed: options.count ?? 1,
    objects: keyed,
  };
}

/** A timestamp `seconds` after 2020-01-01T00:00:00Z (fractions allowed, millisecond precision). */
export function at(seconds: number): string {
  return new Date(Date.parse(DEFAULT_TIME) + Math.round(seconds * 1000)).toISOString().replace('.000Z', 'Z');
}
