import type { EventContext, Observation, Origin, Sensor, StixObject } from '../contracts.js';
import { stixValue } from './fields.js';
import { derivedId, deterministicId } from '../stix/ids.js';
import type { Timestamp } from './time.js';

/**
 * Sets `key` only when there is a value, so optional fields never appear as undefined (they would
 * change ids); foreign values are made fit for STIX on the way (`stixValue`: no nulls, no empty lists).
 */
export function put(target: Record<string, unknown>, key: string, value: unknown): void {
  const cleaned = stixValue(value);
  if (cleaned !== undefined) target[key] = cleaned;
}

/**
 * Objects that only depend on their value (files, directories, addresses, accounts) recur in almost
 * every event; caching them saves the hashing. Cleared whole when full: simple, and bounded.
 *
 * What is shared between events is frozen, and only that: the engine remembers what it found in a frozen
 * object (a WeakMap keyed by it), which pays for objects that recur and costs for those made per event.
 */
class ValueCache<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  get(key: string, make: () => V): V {
    let value = this.entries.get(key);
    if (value === undefined) {
      if (this.entries.size >= this.capacity) this.entries.clear();
      value = make();
      this.entries.set(key, value);
    }
    return value;
  }
}

function frozen<T extends object>(value: T): T {
  return Object.freeze(value);
}

// Keyed by the event's own text where one text is the key (no key is built: a new string would be
// hashed in full at every look-up).
const fileCache = new ValueCache<readonly StixObject[]>(20_000);
const addressCaches = {
  'ipv4-addr': new ValueCache<StixObject>(20_000),
  'ipv6-addr': new ValueCache<StixObject>(20_000),
};
const accountsByUserId = new ValueCache<StixObject>(20_000);
const accounts = new ValueCache<StixObject>(20_000);
const processIdCache = new ValueCache<string>(20_000);

/** What makes a process itself, as the sensor says: see `ScoSet.process`. */
export interface ProcessIdentity {
  readonly key: string;
  readonly recurring: boolean;
}

function sco(
  type: string,
  properties: Record<string, unknown>,
  idContributing: Record<string, unknown>,
): StixObject {
  return {
    type,
    spec_version: '2.1',
    id: deterministicId(type, idContributing),
    ...properties,
  };
}

function directoryObject(path: string): StixObject {
  return sco('directory', { path }, { path });
}

/** `file` (name = basename) with its `directory`, for an absolute or relative path. */
function fileObjects(path: string): readonly StixObject[] {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const slash = trimmed.lastIndexOf('/');
  const name = trimmed.slice(slash + 1);
  if (slash < 0) return [sco('file', { name }, { name })];
  const directory = directoryObject(slash === 0 ? '/' : trimmed.slice(0, slash));
  if (name === '') return [directory];
  const parent_directory_ref = directory.id;
  return [sco('file', { name, parent_directory_ref }, { name, parent_directory_ref }), directory];
}

export interface NetworkTrafficInput {
  readonly srcAddress?: string;
  readonly dstAddress?: string;
  readonly srcPort?: number;
  readonly dstPort?: number;
  readonly protocols: readonly string[];
}

/** The SCOs of one event, collected as the sensor mapping builds them, then wrapped in an observed-data. */
export class ScoSet {
  readonly objects = new Map<string, StixObject>();
  /** The object the event is about (its process, or the API request); first in `object_refs`. */
  private subjectId: string | undefined;
  private readonly namedFiles: string[] = [];
  private readonly connections: string[] = [];

  /** Marks `id` as the object the event is about. */
  subject(id: string): string {
    this.subjectId = id;
    return id;
  }

  add(object: StixObject): string {
    this.objects.set(object.id, object);
    return object.id;
  }

  /**
   * A file the event names (an argument, a descriptor): added, and listed in `namedFiles`, which the
   * subject process refers to so that one observation expression on `process` can reach it.
   */
  namedFile(path: string): void {
    const id = this.file(path);
    if (id !== undefined && !this.namedFiles.includes(id)) this.namedFiles.push(id);
  }

  /** A connection the event names: added, and listed in `connections` (the subject's `opened_connection_refs`). */
  connection(input: NetworkTrafficInput): void {
    const id = this.networkTraffic(input);
    if (id !== undefined && !this.connections.includes(id)) this.connections.push(id);
  }

  /** Adds `opened_connection_refs` to the subject process's properties, and `file_refs` to its sensor extension. */
  referToEventObjects(process: Record<string, unknown>, extension: Record<string, unknown>): void {
    if (this.connections.length > 0) process.opened_connection_refs = [...this.connections];
    if (this.namedFiles.length > 0) extension.file_refs = [...this.namedFiles];
  }

  /** Every object id, the subject first. */
  private refs(): string[] {
    const refs: string[] = [];
    const subjectId = this.subjectId;
    if (subjectId !== undefined) refs.push(subjectId);
    for (const id of this.objects.keys()) if (id !== subjectId) refs.push(id);
    return refs;
  }

  /** Every object, the subject first. */
  list(): StixObject[] {
    return this.refs()
      .map((id) => this.objects.get(id))
      .filter((object) => object !== undefined);
  }

  /** A `file` and its `directory`; returns the file id (the directory id for a path ending in `/`). */
  file(path: string): string | undefined {
    if (path === '') return undefined;
    const objects = fileCache.get(path, () => fileObjects(path).map(frozen));
    for (const object of objects) this.objects.set(object.id, object);
    return objects[0]?.id;
  }

  /** A `user-account`; `user_id` is what STIX keys an account on (with `account_type`, `account_login`). */
  userAccount(userId: string | undefined, accountType?: string, accountLogin?: string): string | undefined {
    if (userId === undefined && accountLogin === undefined) return undefined;
    const make = (): StixObject => {
      const properties: Record<string, unknown> = {};
      put(properties, 'user_id', userId);
      put(properties, 'account_login', accountLogin);
      put(properties, 'account_type', accountType);
      return frozen(sco('user-account', properties, properties));
    };
    if (userId !== undefined && accountType === undefined && accountLogin === undefined) {
      return this.add(accountsByUserId.get(userId, make));
    }
    const key = `user-account\u0000${userId ?? ''}\u0000${accountType ?? ''}\u0000${accountLogin ?? ''}`;
    return this.add(accounts.get(key, make));
  }

  /** An `ipv4-addr` or `ipv6-addr` (by the presence of a colon). */
  address(value: string): string {
    const type = value.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
    return this.add(addressCaches[type].get(value, () => frozen(sco(type, { value }, { value }))));
  }

  /** A `network-traffic`; not cached: one end is usually an ephemeral port, so connections rarely recur. */
  networkTraffic(input: NetworkTrafficInput): string | undefined {
    const properties: Record<string, unknown> = {};
    put(properties, 'src_ref', input.srcAddress === undefined ? undefined : this.address(input.srcAddress));
    put(properties, 'dst_ref', input.dstAddress === undefined ? undefined : this.address(input.dstAddress));
    if (properties.src_ref === undefined && properties.dst_ref === undefined) return undefined;
    put(properties, 'src_port', input.srcPort);
    put(properties, 'dst_port', input.dstPort);
    properties.protocols = input.protocols;
    return this.add(sco('network-traffic', properties, properties));
  }

  /**
   * A `process`. STIX gives processes no ID-contributing properties (and the OASIS validator wants a
   * UUIDv4 layout): the id is derived from `identity` when the sensor has one (Tetragon's exec_id),
   * else from the whole object as built. The process an event is about carries that event's details,
   * so its identity includes the event; a `recurring` identity (a parent) is worth caching.
   */
  process(properties: Record<string, unknown>, identity?: ProcessIdentity): string {
    const id =
      identity === undefined
        ? derivedId('process', JSON.stringify(properties))
        : identity.recurring
          ? processIdCache.get(identity.key, () => derivedId('process', identity.key))
          : derivedId('process', identity.key);
    const process = { type: 'process', spec_version: '2.1', id, ...properties };
    // A recurring process is shared by the events that name it: frozen, as every shared object here is
    // (the engine remembers what it found in a frozen object).
    return this.add(identity?.recurring === true ? Object.freeze(process) : process);
  }

  /** An SCO of a custom type whose id the caller derived. */
  custom(type: string, id: string, properties: Record<string, unknown>): string {
    return this.add({ type, spec_version: '2.1', id, ...properties });
  }

  /**
   * Wraps the SCOs in one observed-data at `time`, the subject first in `object_refs`; its id is
   * derived from the time and the SCO ids.
   */
  observe(sensor: Sensor, time: Timestamp, context: EventContext, origin: Origin): Observation {
    const objectRefs = this.refs();
    // Computed at once, not on first read: a getter's closure keeps the whole event alive across young
    // collections (measured: 1.5 MB promoted per scavenge, a third slower), which costs more than the hash.
    const id = derivedId('observed-data', `${time.iso}\u0000${objectRefs.join('\u0000')}`);
    const observedData: StixObject = Object.freeze({
      type: 'observed-data',
      spec_version: '2.1',
      id,
      created: time.iso,
      modified: time.iso,
      first_observed: time.iso,
      last_observed: time.iso,
      number_observed: 1,
      object_refs: objectRefs,
    });
    return { observedData, objects: this.objects, time: time.ms, context, sensor, origin };
  }
}
