/** Builders for the batch input of the pattern tests: STIX 2.1 bundles and STIX 2.0 observed-data. */

export interface Sco {
  readonly type: string;
  readonly id?: string;
  readonly [property: string]: unknown;
}

export interface Timing {
  readonly first?: string;
  readonly last?: string;
  readonly count?: number;
  /** object_refs; by default every object given. */
  readonly refs?: readonly string[];
}

let nextId = 0;

/** A bundle with one observed-data observing `objects` (ids are made up where missing). */
export function bundle(objects: readonly Sco[], timing: Timing = {}): Record<string, unknown> {
  const n = ++nextId;
  const withIds = objects.map((object, i) => ({
    ...object,
    id: object.id ?? `${object.type}--fixture-${n}-${i}`,
  }));
  const first = timing.first ?? '2020-01-01T00:00:00Z';
  const observedData = {
    type: 'observed-data',
    id: `observed-data--fixture-${n}`,
    number_observed: timing.count ?? 1,
    first_observed: first,
    last_observed: timing.last ?? first,
    object_refs: timing.refs ?? withIds.map((object) => object.id),
  };
  return { type: 'bundle', id: `bundle--fixture-${n}`, objects: [observedData, ...withIds] };
}

/** A STIX 2.0 observed-data with its objects embedded under keys "0", "1", … (or the keys given). */
export function observedDataV20(
  objects: readonly Sco[] | Readonly<Record<string, Sco>>,
  timing: Timing = {},
): Record<string, unknown> {
  const first = timing.first ?? '2020-01-01T00:00:00Z';
  const embedded = Array.isArray(objects)
    ? Object.fromEntries(objects.map((o: Sco, i) => [String(i), o]))
    : objects;
  return {
    type: 'observed-data',
    id: `observed-data--fixture-${++nextId}`,
    number_observed: timing.count ?? 1,
    first_observed: first,
    last_observed: timing.last ?? first,
    objects: embedded,
  };
}

/** `2020-01-01T00:00:ssZ`, seconds into the test minute. */
export function at(seconds: number): string {
  const whole = Math.floor(seconds);
  const fraction = seconds - whole;
  const text = `2020-01-01T00:${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
  return fraction === 0 ? `${text}Z` : `${text}${fraction.toFixed(9).slice(1)}Z`;
}
