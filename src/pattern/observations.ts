/**
 * What a comparison expression sees of one observed-data: the objects it observed, by type, and the scope in
 * which `_ref`/`_refs` values resolve. Built once per observation; every indicator then reads it.
 */

/** A JSON object (an SCO or a part of one). */
export interface JsonObject {
  readonly [key: string]: unknown;
}

export interface ObservationView {
  /** The objects the observed-data observed, grouped by their `type`: the roots of every object path. */
  readonly rootsByType: ReadonlyMap<string, readonly JsonObject[]>;
  /** The object a reference names (STIX 2.1: by id; STIX 2.0: by key of `objects`), if this observation has it. */
  resolve(reference: string): JsonObject | undefined;
}

/**
 * STIX 2.1 SDO and SRO types: never roots of an object path. The reference matcher skips them because a 2.1
 * observation also carries its observed-data (and possibly SROs) among its objects.
 */
const NON_OBSERVABLE_TYPES_V21: ReadonlySet<string> = new Set([
  'attack-pattern',
  'bundle',
  'campaign',
  'course-of-action',
  'extension-definition',
  'grouping',
  'identity',
  'incident',
  'indicator',
  'infrastructure',
  'intrusion-set',
  'language-content',
  'location',
  'malware',
  'malware-analysis',
  'marking-definition',
  'note',
  'observed-data',
  'opinion',
  'relationship',
  'report',
  'threat-actor',
  'tool',
  'sighting',
  'vulnerability',
]);

export function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/**
 * The view of one STIX 2.1 observed-data: its roots are the objects named in `object_refs` (found in
 * `objects`, by id), and references resolve among those same objects and the observed-data itself, exactly
 * as in the reference matcher. So `object_refs` must list every SCO of the event, including those only
 * reached through references (e.g. a process's `image_ref` file), or paths through them find nothing.
 */
export function createObservationView(
  observedData: JsonObject,
  objects: ReadonlyMap<string, JsonObject>,
): ObservationView {
  const rootsByType = new Map<string, JsonObject[]>();
  const refs = Array.isArray(observedData.object_refs) ? (observedData.object_refs as unknown[]) : [];
  // A duplicated ref is one root: the first occurrence counts (a set only for long lists).
  const firstIndex = refs.length > 32 ? firstIndexOf(refs) : undefined;
  for (const [i, ref] of refs.entries()) {
    if (typeof ref !== 'string') continue;
    const object = objects.get(ref);
    if (object === undefined) continue;
    if ((firstIndex === undefined ? refs.indexOf(ref) : firstIndex.get(ref)) !== i) continue;
    addRoot(rootsByType, object, NON_OBSERVABLE_TYPES_V21);
  }
  return { rootsByType, resolve: namedResolver(observedData, refs, objects) };
}

function firstIndexOf(refs: readonly unknown[]): Map<unknown, number> {
  const first = new Map<unknown, number>();
  refs.forEach((ref, i) => {
    if (!first.has(ref)) first.set(ref, i);
  });
  return first;
}

/**
 * Resolution among the named objects and the observed-data. A short list is searched as it is (an event
 * names a handful of objects); a set of names is built, on first use, only for long ones.
 */
function namedResolver(
  observedData: JsonObject,
  refs: readonly unknown[],
  objects: ReadonlyMap<string, JsonObject>,
): (reference: string) => JsonObject | undefined {
  let named: Set<unknown> | undefined;
  const isNamed = (reference: string): boolean => {
    if (refs.length <= 32) return refs.includes(reference);
    named ??= new Set(refs);
    return named.has(reference);
  };
  // The observed-data's own id last: references name SCOs almost always, and an observer may compute that id lazily.
  return (reference) => {
    const object = objects.get(reference);
    if (object !== undefined && isNamed(reference)) return object;
    return reference === observedData.id ? observedData : undefined;
  };
}

/** The view of one STIX 2.0 observed-data: every value of its `objects` dictionary, referable by key. */
export function createObservationViewV20(objects: ReadonlyMap<string, JsonObject>): ObservationView {
  const rootsByType = new Map<string, JsonObject[]>();
  for (const object of objects.values()) addRoot(rootsByType, object, undefined);
  return { rootsByType, resolve: (reference) => objects.get(reference) };
}

function addRoot(
  rootsByType: Map<string, JsonObject[]>,
  object: JsonObject,
  excluded: ReadonlySet<string> | undefined,
): void {
  const type = object.type;
  if (typeof type !== 'string' || excluded?.has(type) === true) return;
  const roots = rootsByType.get(type);
  if (roots === undefined) rootsByType.set(type, [object]);
  else roots.push(object);
}
