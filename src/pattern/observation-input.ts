/**
 * The batch input of `CompiledPattern.match`, the same as the reference matcher's: STIX 2.1, a list of bundles
 * (observed-data SDOs plus the SCOs their `object_refs` name); STIX 2.0, a list of observed-data SDOs with an
 * embedded `objects` dictionary. Malformed input raises ObservationInputError, never anything else.
 */
import {
  createObservationView,
  createObservationViewV20,
  isJsonObject,
  type JsonObject,
  type ObservationView,
} from './observations.js';
import { compareTimestamps, parseTimestamp, type Timestamp } from './values/timestamp.js';

/** Observation input that is not what `match` takes; `path` locates the problem, e.g. `[0].objects[2]`. */
export class ObservationInputError extends Error {
  override readonly name = 'ObservationInputError';
  readonly path: string;

  constructor(message: string, path: string) {
    super(path === '' ? message : `${message} (at ${path})`);
    this.path = path;
  }
}

/** One observed-data, ready for evaluation: what it observed and when, and how many times. */
export interface TimedObservation {
  readonly view: ObservationView;
  readonly firstObserved: Timestamp;
  readonly lastObserved: Timestamp;
  /** A positive integer; each of the `number_observed` observations can bind a different observation expression. */
  readonly numberObserved: number;
}

export function readObservations(input: unknown, stixVersion: '2.0' | '2.1'): TimedObservation[] {
  if (!Array.isArray(input)) throw new ObservationInputError('observations must be a list', '');
  return stixVersion === '2.1' ? readBundles(input) : readObservedDataV20(input);
}

/**
 * As the reference does, every bundle's objects go into one pool first: an observed-data may name SCOs that
 * arrive in another bundle of the same call; with duplicate ids the last one wins.
 */
function readBundles(bundles: readonly unknown[]): TimedObservation[] {
  const scos = new Map<string, JsonObject>();
  const observedData: { object: JsonObject; path: string }[] = [];
  for (const [b, bundle] of bundles.entries()) {
    if (!isJsonObject(bundle)) throw new ObservationInputError('a bundle must be an object', `[${b}]`);
    if (bundle.objects === undefined) continue;
    if (!Array.isArray(bundle.objects))
      throw new ObservationInputError('objects must be a list', `[${b}].objects`);
    for (const [o, object] of (bundle.objects as unknown[]).entries()) {
      const path = `[${b}].objects[${o}]`;
      if (!isJsonObject(object) || typeof object.type !== 'string') {
        throw new ObservationInputError('an object must be an object with a string type', path);
      }
      if (object.type === 'observed-data') observedData.push({ object, path });
      else if (typeof object.id === 'string') scos.set(object.id, object);
      else throw new ObservationInputError('an object must have a string id', path);
    }
  }
  if (bundles.length > 0 && !bundles.some((b) => isJsonObject(b) && b.objects !== undefined)) {
    throw new ObservationInputError('a bundle must have objects', '[0]');
  }
  return observedData.map(({ object, path }) => {
    if (!Array.isArray(object.object_refs)) {
      throw new ObservationInputError('an observed-data must have object_refs', path);
    }
    return { view: createObservationView(object, scos), ...readTiming(object, path) };
  });
}

function readObservedDataV20(sdos: readonly unknown[]): TimedObservation[] {
  return sdos.map((sdo, i) => {
    const path = `[${i}]`;
    if (!isJsonObject(sdo)) throw new ObservationInputError('an observed-data must be an object', path);
    const objects = new Map<string, JsonObject>();
    if (sdo.objects !== undefined) {
      if (!isJsonObject(sdo.objects))
        throw new ObservationInputError('objects must be a dictionary', `${path}.objects`);
      for (const [key, object] of Object.entries(sdo.objects)) {
        if (isJsonObject(object)) objects.set(key, object);
      }
    }
    return { view: createObservationViewV20(objects), ...readTiming(sdo, path) };
  });
}

function readTiming(sdo: JsonObject, path: string): Omit<TimedObservation, 'view'> {
  const { number_observed: count, first_observed: first, last_observed: last } = sdo;
  if (count === undefined || first === undefined || last === undefined) {
    throw new ObservationInputError(
      'an observed-data must have number_observed, first_observed and last_observed',
      path,
    );
  }
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) {
    throw new ObservationInputError(
      'number_observed must be an integer of at least 1',
      `${path}.number_observed`,
    );
  }
  const firstObserved = readTimestamp(first, `${path}.first_observed`);
  const lastObserved = readTimestamp(last, `${path}.last_observed`);
  if (compareTimestamps(firstObserved, lastObserved) > 0) {
    throw new ObservationInputError('last_observed must not be before first_observed', path);
  }
  return { firstObserved, lastObserved, numberObserved: count };
}

function readTimestamp(value: unknown, path: string): Timestamp {
  const timestamp = typeof value === 'string' ? parseTimestamp(value) : undefined;
  if (timestamp === undefined) {
    throw new ObservationInputError('not a STIX timestamp (YYYY-MM-DDTHH:mm:ss[.s+]Z)', path);
  }
  return timestamp;
}
