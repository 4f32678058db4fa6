/** Random observed-data for the differential test: SCOs from small value pools, with resolvable references. */
import type { StixVersion } from '../conformance/case.js';
import type { JsonValue, ModelObject, ObservedModel } from './observation-model.js';
import type { Prng } from './prng.js';
import * as pools from './value-pools.js';

/** Collects the objects of one observed-data and hands out local keys. */
class ObjectSet {
  readonly objects: ModelObject[] = [];

  add(type: string, properties: Record<string, JsonValue>, unlisted = false): string {
    const key = String(this.objects.length);
    this.objects.push({ key, type, properties, ...(unlisted ? { unlisted } : {}) });
    return key;
  }
}

function maybe(
  rng: Prng,
  probability: number,
  properties: Record<string, JsonValue>,
  name: string,
  value: () => JsonValue,
): void {
  if (rng.chance(probability)) properties[name] = value();
}

function addFile(rng: Prng, set: ObjectSet): string {
  const p: Record<string, JsonValue> = {};
  maybe(rng, 0.85, p, 'name', () => rng.pick(pools.FILE_NAMES));
  maybe(rng, 0.6, p, 'size', () => rng.pick(pools.SIZES));
  maybe(rng, 0.4, p, 'hashes', () => {
    const hashes: Record<string, JsonValue> = {};
    maybe(rng, 0.8, hashes, 'MD5', () => rng.pick(pools.MD5S));
    maybe(rng, 0.5, hashes, 'SHA-256', () => rng.pick(pools.SHA256S));
    return hashes;
  });
  maybe(rng, 0.4, p, 'x_tags', () => rng.some(pools.TAGS, 0, 3));
  maybe(rng, 0.35, p, 'x_flag', () => rng.chance(0.5));
  maybe(rng, 0.35, p, 'ctime', () => rng.pick(pools.TIMESTAMPS));
  maybe(rng, 0.3, p, 'x_data_hex', () => rng.pick(pools.HEX_VALUES));
  maybe(rng, 0.25, p, 'extensions', () => ({ 'x-acme-ext': { level: rng.int(1, 3) } }));
  return set.add('file', p);
}

function addAddress(rng: Prng, set: ObjectSet, unlisted = false): string {
  return rng.chance(0.85)
    ? set.add('ipv4-addr', { value: rng.pick(pools.IPV4) }, unlisted)
    : set.add('ipv6-addr', { value: rng.pick(pools.IPV6) }, unlisted);
}

function addTraffic(rng: Prng, set: ObjectSet): string {
  const p: Record<string, JsonValue> = { protocols: rng.some(pools.PROTOCOLS, 1, 2) };
  // Sometimes the source is left out of object_refs (2.1: not found) or does not exist at all.
  p.src_ref = rng.chance(0.08) ? 'dangling' : addAddress(rng, set, rng.chance(0.08));
  if (rng.chance(0.8)) p.dst_ref = addAddress(rng, set);
  maybe(rng, 0.6, p, 'dst_port', () => rng.pick(pools.PORTS));
  return set.add('network-traffic', p);
}

function addProcess(rng: Prng, set: ObjectSet): string {
  const p: Record<string, JsonValue> = {};
  maybe(rng, 0.8, p, 'name', () => rng.pick(pools.PROCESS_NAMES));
  maybe(rng, 0.6, p, 'pid', () => rng.pick([1, 2, 100]));
  maybe(rng, 0.4, p, 'command_line', () => rng.pick(pools.COMMAND_LINES));
  if (rng.chance(0.6)) p.image_ref = addFile(rng, set);
  if (rng.chance(0.4)) {
    p.child_refs = Array.from({ length: rng.int(1, 2) }, () =>
      set.add('process', { name: rng.pick(pools.PROCESS_NAMES), pid: rng.pick([2, 100]) }),
    );
  }
  return set.add('process', p);
}

function addDirectory(rng: Prng, set: ObjectSet): string {
  const contains = Array.from({ length: rng.int(1, 3) }, () => addFile(rng, set));
  return set.add('directory', { path: rng.pick(pools.DIRECTORIES), contains_refs: contains });
}

function addArtifact(rng: Prng, set: ObjectSet): string {
  return set.add('artifact', {
    payload_bin: rng.pick(pools.PAYLOADS),
    mime_type: 'application/octet-stream',
  });
}

const ROOTS = [addFile, addFile, addAddress, addTraffic, addProcess, addDirectory, addArtifact];

export function generateObserved(rng: Prng, version: StixVersion): ObservedModel[] {
  return Array.from({ length: rng.pick([1, 2, 2, 3, 3, 4]) }, () => {
    const set = new ObjectSet();
    for (let i = rng.pick([1, 1, 2]); i > 0; i -= 1) rng.pick(ROOTS)(rng, set);
    const start = rng.pick(pools.TIME_OFFSETS);
    return {
      first: pools.timeAt(start, rng.chance(0.7)),
      last: pools.timeAt(start + rng.pick(pools.SPANS)),
      count: rng.pick([1, 1, 1, 2, 3]),
      objects: version === '2.0' ? set.objects.filter((o) => o.unlisted !== true) : set.objects,
    };
  });
}
