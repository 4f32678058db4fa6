/**
 * The comparison expressions of a whole indicator set, filed by object type, path and value, so an
 * observation meets only the expressions it could satisfy. Each (type, path) the index knows is read once
 * per observation; expressions without keys sit in a list per object type and meet every observation that
 * has an object of that type.
 */
import {
  bytesToLatin1,
  compilePath,
  decodeUtf8,
  nfc,
  parseIpNetwork,
  type ObservationView,
  type PathWalker,
} from '../pattern/index.js';
import type { IndexKey } from './index-keys.js';

/** One expression in the index, with what it carries for the caller. */
export interface IndexEntry<T> {
  /** Keys one of which a satisfying observation matches; undefined: no keys, check by type only. */
  readonly keys: readonly IndexKey[] | undefined;
  /** The object types a satisfying root can have. */
  readonly objectTypes: readonly string[];
  readonly payload: T;
}

interface Slot<T> {
  readonly payload: T;
  /** The observation serial this slot was last reported for, so each is reported once per observation. */
  seen: number;
}

type Bucket<T> = Map<string, Slot<T>[]>;

interface PathTable<T> {
  readonly walk: PathWalker;
  /** Looks a selected value up and keeps the walk going; made once, so a lookup allocates nothing. */
  lookUp: (value: unknown) => boolean;
  readonly equal: Map<string | number | boolean, Slot<T>[]>;
  readonly prefixes: Map<number, Bucket<T>>;
  readonly suffixes: Map<number, Bucket<T>>;
  /** By family, then prefix length, then the network's address shifted to that length. */
  readonly networks: Map<4 | 6, Map<number, Map<bigint, Slot<T>[]>>>;
}

interface TypeTable<T> {
  readonly unkeyed: Slot<T>[];
  readonly paths: Map<string, PathTable<T>>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export class LeafIndex<T> {
  private readonly types = new Map<string, TypeTable<T>>();
  private serial = 0;
  private visit: (payload: T) => void = () => undefined;
  /** Reports a slot once per observation (made once, shared by every path table). */
  private readonly report = (slot: Slot<T>): void => {
    if (slot.seen === this.serial) return;
    slot.seen = this.serial;
    this.visit(slot.payload);
  };
  /** How many (type, path) tables the index reads per matching observation. */
  readonly pathCount: number;

  constructor(entries: Iterable<IndexEntry<T>>) {
    let paths = 0;
    for (const entry of entries) {
      const slot: Slot<T> = { payload: entry.payload, seen: 0 };
      if (entry.keys === undefined) {
        for (const type of entry.objectTypes) this.typeTable(type).unkeyed.push(slot);
        continue;
      }
      for (const key of entry.keys) {
        const table = this.typeTable(key.objectType);
        let path = table.paths.get(key.pathText);
        if (path === undefined) {
          path = emptyPathTable<T>(compilePath(key.steps));
          const created = path;
          path.lookUp = (value) => {
            lookUpValue(created, value, this.report);
            return false; // keep walking: every selected value counts
          };
          table.paths.set(key.pathText, path);
          paths += 1;
        }
        fileKey(path, key, slot);
      }
    }
    this.pathCount = paths;
  }

  /** Calls `visit` once for each expression the observation could satisfy. */
  candidates(view: ObservationView, visit: (payload: T) => void): void {
    this.serial += 1;
    this.visit = visit;
    for (const [type, roots] of view.rootsByType) {
      const table = this.types.get(type);
      if (table === undefined) continue;
      for (const slot of table.unkeyed) this.report(slot);
      for (const path of table.paths.values()) {
        for (const root of roots) path.walk(root, view, path.lookUp);
      }
    }
  }

  private typeTable(type: string): TypeTable<T> {
    let table = this.types.get(type);
    if (table === undefined) {
      table = { unkeyed: [], paths: new Map() };
      this.types.set(type, table);
    }
    return table;
  }
}

function emptyPathTable<T>(walk: PathWalker): PathTable<T> {
  return {
    walk,
    lookUp: () => false,
    equal: new Map(),
    prefixes: new Map(),
    suffixes: new Map(),
    networks: new Map(),
  };
}

function fileKey<T>(path: PathTable<T>, key: IndexKey, slot: Slot<T>): void {
  switch (key.kind) {
    case 'equal':
      push(path.equal, key.value, slot);
      return;
    case 'prefix':
    case 'suffix': {
      const byLength = key.kind === 'prefix' ? path.prefixes : path.suffixes;
      let bucket = byLength.get(key.text.length);
      if (bucket === undefined) {
        bucket = new Map();
        byLength.set(key.text.length, bucket);
      }
      push(bucket, key.text, slot);
      return;
    }
    case 'network': {
      const { family, address, prefix } = key.network;
      let byPrefix = path.networks.get(family);
      if (byPrefix === undefined) {
        byPrefix = new Map();
        path.networks.set(family, byPrefix);
      }
      let byAddress = byPrefix.get(prefix);
      if (byAddress === undefined) {
        byAddress = new Map();
        byPrefix.set(prefix, byAddress);
      }
      push(byAddress, address >> BigInt((family === 4 ? 32 : 128) - prefix), slot);
      return;
    }
  }
}

function lookUpValue<T>(path: PathTable<T>, value: unknown, report: (slot: Slot<T>) => void): void {
  if (value instanceof Uint8Array) {
    reportAll(path.equal.get(bytesToLatin1(value)), report);
    const text = decodeUtf8(value);
    if (text !== undefined) lookUpText(path, nfc(text), report);
    return;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    reportAll(path.equal.get(value), report);
    return;
  }
  if (typeof value !== 'string') return;
  reportAll(path.equal.get(value), report);
  if (path.prefixes.size > 0 || path.suffixes.size > 0) lookUpText(path, nfc(value), report);
  if (path.networks.size > 0) lookUpNetwork(path, value, report);
}

/** LIKE keys: the value's prefix (suffix) of each length some key has. */
function lookUpText<T>(path: PathTable<T>, text: string, report: (slot: Slot<T>) => void): void {
  for (const [length, bucket] of path.prefixes) {
    if (length <= text.length) reportAll(bucket.get(text.slice(0, length)), report);
  }
  for (const [length, bucket] of path.suffixes) {
    if (length <= text.length) reportAll(bucket.get(text.slice(text.length - length)), report);
  }
}

function lookUpNetwork<T>(path: PathTable<T>, text: string, report: (slot: Slot<T>) => void): void {
  const network = parseIpNetwork(text);
  if (network === undefined) return;
  const byPrefix = path.networks.get(network.family);
  if (byPrefix === undefined) return;
  const bits = network.family === 4 ? 32 : 128;
  for (const [prefix, byAddress] of byPrefix) {
    if (prefix > network.prefix) continue;
    reportAll(byAddress.get(network.address >> BigInt(bits - prefix)), report);
  }
}

function reportAll<T>(slots: readonly Slot<T>[] | undefined, report: (slot: Slot<T>) => void): void {
  if (slots === undefined) return;
  for (const slot of slots) report(slot);
}
