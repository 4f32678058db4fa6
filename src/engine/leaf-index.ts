/**
 * The comparison expressions of a whole indicator set, filed by object type, path and value, so an
 * observation meets only the expressions it could satisfy. Each (type, path) the index knows is read once
 * per observation; expressions without keys sit in a list per object type and meet every observation that
 * has an object of that type.
 */
import {
  bytesToLatin1,
  compilePathStep,
  decodeUtf8,
  nfc,
  parseIpNetwork,
  type IpNetwork,
  type ObservationView,
  type PathStep,
  type PathVisit,
} from '../pattern/index.js';
import type { IndexKey } from './index-keys.js';
import { TextTrie } from './text-trie.js';

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

/** The keys filed under one (type, path). */
interface PathTable<T> {
  readonly equal: Map<string | number | boolean, Slot<T>[]>;
  /**
   * The lengths of the text keys in `equal`. A value of another length cannot be equal to any, and
   * checking its length spares hashing it: most values an event carries are new strings, long ones
   * (command lines, paths), which a Map lookup would hash in full to find nothing.
   */
  readonly equalLengths: Set<number>;
  readonly prefixes: TextTrie<Slot<T>>;
  readonly suffixes: TextTrie<Slot<T>>;
  /** By family, then prefix length, then the network's address shifted to that length. */
  readonly networks: Map<4 | 6, Map<number, Map<NetworkKey, Slot<T>[]>>>;
}

/**
 * One step of the paths of one object type, shared by every path that starts with the same steps
 * (`extensions.'…'.a` and `extensions.'…'.b` read `extensions` once per root).
 */
interface StepNode<T> {
  readonly step: PathStep;
  readonly children: Map<string, StepNode<T>>;
  /** Keys of the path that ends at this step. */
  table: PathTable<T> | undefined;
}

interface TypeTable<T> {
  readonly unkeyed: Slot<T>[];
  /** Paths within the object itself: what they select never changes for a frozen object. */
  readonly ownSteps: Map<string, StepNode<T>>;
  /** Paths through a `*_ref(s)`: what they select depends on the observation's other objects. */
  readonly refSteps: Map<string, StepNode<T>>;
  /** The first steps, compiled once all keys are filed. */
  ownVisits: readonly PathVisit[];
  refVisits: readonly PathVisit[];
  /** What the own paths of a frozen object found, by object: objects that recur are walked once. */
  readonly found: WeakMap<object, readonly Slot<T>[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** The index walks every selected value: its visitors never stop a walk. */
const keepWalking = (): boolean => false;

export class LeafIndex<T> {
  private readonly types = new Map<string, TypeTable<T>>();
  private serial = 0;
  private visit: (payload: T) => void = () => undefined;
  /** Set while the own paths of a frozen object are walked, to remember what they find. */
  private collecting: Slot<T>[] | undefined;
  /** Reports a slot once per observation (made once, shared by every path table). */
  private readonly report = (slot: Slot<T>): void => {
    if (this.collecting !== undefined) {
      this.collecting.push(slot);
      return;
    }
    if (slot.seen === this.serial) return;
    slot.seen = this.serial;
    this.visit(slot.payload);
  };
  private readonly networks = new NetworkMemo();
  /** How many (type, path) tables the index holds. */
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
        const node = this.stepNode(this.typeTable(key.objectType), key.steps);
        if (node.table === undefined) {
          node.table = emptyPathTable();
          paths += 1;
        }
        fileKey(node.table, key, slot);
      }
    }
    for (const table of this.types.values()) {
      table.ownVisits = [...table.ownSteps.values()].map((node) => this.compile(node));
      table.refVisits = [...table.refSteps.values()].map((node) => this.compile(node));
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
      for (const root of roots) {
        if (table.ownVisits.length > 0) this.reportRemembered(table.found, table.ownVisits, root, view);
        for (const visitStep of table.refVisits) visitStep(root, view, keepWalking);
      }
    }
  }

  /**
   * Observers share the objects that recur from event to event (a parent process, a file, an account) and
   * freeze them; observations are never changed once made (contracts.ts). So what `visits` find in a frozen
   * object is found once, remembered in `found` while the object lives, and reported again from memory;
   * anything else is walked every time.
   */
  private reportRemembered(
    found: WeakMap<object, readonly Slot<T>[]>,
    visits: readonly PathVisit[],
    value: unknown,
    view: ObservationView,
  ): void {
    if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) {
      for (const visitStep of visits) visitStep(value, view, keepWalking);
      return;
    }
    let slots = found.get(value);
    if (slots === undefined) {
      const outer = this.collecting;
      const collected: Slot<T>[] = [];
      this.collecting = collected;
      try {
        for (const visitStep of visits) visitStep(value, view, keepWalking);
      } finally {
        this.collecting = outer;
      }
      slots = collected;
      found.set(value, slots);
    }
    for (const slot of slots) this.report(slot);
  }

  private typeTable(type: string): TypeTable<T> {
    let table = this.types.get(type);
    if (table === undefined) {
      table = {
        unkeyed: [],
        ownSteps: new Map(),
        refSteps: new Map(),
        ownVisits: [],
        refVisits: [],
        found: new WeakMap(),
      };
      this.types.set(type, table);
    }
    return table;
  }

  private stepNode(table: TypeTable<T>, steps: readonly PathStep[]): StepNode<T> {
    let level = steps.some(isReferenceStep) ? table.refSteps : table.ownSteps;
    let node: StepNode<T> | undefined;
    for (const step of steps) {
      const key = stepKey(step);
      node = level.get(key);
      if (node === undefined) {
        node = { step, children: new Map(), table: undefined };
        level.set(key, node);
      }
      level = node.children;
    }
    if (node === undefined) throw new Error('An index key has an empty path.');
    return node;
  }

  /**
   * The visitor of a step: looks each selected value up in its table, then walks the steps below. Where no
   * `*_ref` lies below a step, what is found below it depends on the selected value alone, so it is
   * remembered per frozen value, as a root's own paths are: an object a reference leads to (a process's
   * parent, its image), or a frozen part of an object made per event (its Kubernetes extension).
   */
  private compile(node: StepNode<T>): PathVisit {
    const table = node.table;
    const below = [...node.children.values()].map((child) => this.compile(child));
    const visitValue: PathVisit = (value, view) => {
      if (table !== undefined) lookUpValue(table, value, this.report, this.networks);
      for (const visitStep of below) visitStep(value, view, keepWalking);
      return false;
    };
    const remembers = (isReferenceStep(node.step) || node.children.size > 0) && !hasReferenceBelow(node);
    if (!remembers) return compilePathStep(node.step, visitValue);
    const found = new WeakMap<object, readonly Slot<T>[]>();
    const visits = [visitValue];
    return compilePathStep(node.step, (target, view) => {
      this.reportRemembered(found, visits, target, view);
      return false;
    });
  }
}

function hasReferenceBelow<T>(node: StepNode<T>): boolean {
  for (const child of node.children.values()) {
    if (isReferenceStep(child.step) || hasReferenceBelow(child)) return true;
  }
  return false;
}

function isReferenceStep(step: PathStep): boolean {
  return step.kind === 'property' && (step.name.endsWith('_ref') || step.name.endsWith('_refs'));
}

function stepKey(step: PathStep): string {
  switch (step.kind) {
    case 'property':
      return `.${step.name}`;
    case 'index':
      return `[${String(step.index)}]`;
    case 'any':
      return '[*]';
  }
}

function emptyPathTable<T>(): PathTable<T> {
  return {
    equal: new Map(),
    equalLengths: new Set(),
    prefixes: new TextTrie(false),
    suffixes: new TextTrie(true),
    networks: new Map(),
  };
}

/**
 * The key a network is filed under at one prefix length: its address shifted right to that many bits.
 * An IPv4 address is a number, so that a lookup, which tries every prefix length present (up to 33), does
 * its arithmetic in doubles (exact below 2^53) and allocates nothing; an IPv6 address needs a bigint.
 */
type NetworkKey = number | bigint;

interface ParsedAddress {
  readonly network: IpNetwork;
  /** The IPv4 address as a number; undefined for IPv6. */
  readonly ipv4: number | undefined;
}

function networkKey(family: 4 | 6, address: bigint | number, prefix: number): NetworkKey {
  if (family === 4) return Math.floor(Number(address) / 2 ** (32 - prefix));
  return BigInt(address) >> BigInt(128 - prefix);
}

/**
 * Addresses recur event after event (a pod talks to the same few peers): each text is parsed once and
 * remembered. Cleared whole when full: simple, and bounded.
 */
class NetworkMemo {
  private readonly parsed = new Map<string, ParsedAddress | null>();
  constructor(private readonly capacity = 10_000) {}
  get(text: string): ParsedAddress | undefined {
    let entry = this.parsed.get(text);
    if (entry === undefined) {
      if (this.parsed.size >= this.capacity) this.parsed.clear();
      const network = parseIpNetwork(text);
      entry =
        network === undefined
          ? null
          : { network, ipv4: network.family === 4 ? Number(network.address) : undefined };
      this.parsed.set(text, entry);
    }
    return entry ?? undefined;
  }
}

function fileKey<T>(path: PathTable<T>, key: IndexKey, slot: Slot<T>): void {
  switch (key.kind) {
    case 'equal':
      push(path.equal, key.value, slot);
      if (typeof key.value === 'string') path.equalLengths.add(key.value.length);
      return;
    case 'prefix':
      path.prefixes.add(key.text, slot);
      return;
    case 'suffix':
      path.suffixes.add(key.text, slot);
      return;
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
      push(byAddress, networkKey(family, address, prefix), slot);
      return;
    }
  }
}

function lookUpValue<T>(
  path: PathTable<T>,
  value: unknown,
  report: (slot: Slot<T>) => void,
  networks: NetworkMemo,
): void {
  if (value instanceof Uint8Array) {
    if (path.equalLengths.has(value.length)) reportAll(path.equal.get(bytesToLatin1(value)), report);
    const text = decodeUtf8(value);
    if (text !== undefined) lookUpText(path, nfc(text), report);
    return;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    reportAll(path.equal.get(value), report);
    return;
  }
  if (typeof value !== 'string') return;
  if (path.equalLengths.has(value.length)) reportAll(path.equal.get(value), report);
  if (path.prefixes.size > 0 || path.suffixes.size > 0) lookUpText(path, nfc(value), report);
  if (path.networks.size > 0) lookUpNetwork(path, networks.get(value), report);
}

/** LIKE keys: those that are a prefix (suffix) of the value. */
function lookUpText<T>(path: PathTable<T>, text: string, report: (slot: Slot<T>) => void): void {
  if (path.prefixes.size > 0) path.prefixes.lookUp(text, report);
  if (path.suffixes.size > 0) path.suffixes.lookUp(text, report);
}

function lookUpNetwork<T>(
  path: PathTable<T>,
  parsed: ParsedAddress | undefined,
  report: (slot: Slot<T>) => void,
): void {
  if (parsed === undefined) return;
  const { network, ipv4 } = parsed;
  const byPrefix = path.networks.get(network.family);
  if (byPrefix === undefined) return;
  for (const [prefix, byAddress] of byPrefix) {
    if (prefix > network.prefix) continue;
    reportAll(byAddress.get(networkKey(network.family, ipv4 ?? network.address, prefix)), report);
  }
}

function reportAll<T>(slots: readonly Slot<T>[] | undefined, report: (slot: Slot<T>) => void): void {
  if (slots === undefined) return;
  for (const slot of slots) report(slot);
}
