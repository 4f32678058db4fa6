import type { EventContext, Observation, Origin, StixObject } from '../contracts.js';
import { KUBERNETES_EXTENSION_ID } from './extensions.js';
import { arrayAt, isRecord, recordAt, textAt, type JsonRecord } from './fields.js';
import { eventContext } from './kubernetes-context.js';
import { invalid, skip, type SensorResult } from './result.js';
import { timestampFromText } from './time.js';

const IDENTIFIER = /^[a-z0-9-]+--[0-9a-fA-F-]{36}$/;

export function isStixLine(value: JsonRecord): boolean {
  return value.type === 'bundle' || value.type === 'observed-data';
}

function isStixObject(value: unknown): value is StixObject {
  return isRecord(value) && typeof value.type === 'string' && typeof value.id === 'string';
}

/**
 * STIX passed through: every observed-data of a bundle (with the SCOs it reaches through
 * `object_refs` and `*_ref(s)` properties), or one observed-data line. A STIX 2.0 observed-data with an
 * embedded `objects` dictionary keeps its local keys as ids.
 */
export function observeStix(value: JsonRecord, origin: Origin): SensorResult[] {
  if (value.type === 'observed-data') return [fromObservedData(value, new Map(), origin)];
  const objects = arrayAt(value, 'objects');
  if (objects === undefined) return [invalid(origin, 'STIX bundle without objects')];
  const byId = new Map<string, StixObject>();
  for (const object of objects) if (isStixObject(object)) byId.set(object.id, object);
  const results: SensorResult[] = [];
  for (const object of byId.values()) {
    if (object.type === 'observed-data') results.push(fromObservedData(object, byId, origin));
  }
  if (results.length === 0) results.push(skip('irrelevant', origin, 'STIX bundle without observed-data'));
  return results;
}

function fromObservedData(
  data: JsonRecord,
  byId: ReadonlyMap<string, StixObject>,
  origin: Origin,
): SensorResult {
  if (!isStixObject(data)) return invalid(origin, 'observed-data without type or id');
  const firstObserved = textAt(data, 'first_observed');
  const time = firstObserved === undefined ? undefined : timestampFromText(firstObserved);
  if (time === undefined) return invalid(origin, `${data.id} without a valid first_observed`);
  const objects = new Map<string, StixObject>();
  const embedded = recordAt(data, 'objects');
  if (embedded !== undefined) {
    for (const key in embedded) {
      const object = embedded[key];
      if (isRecord(object) && typeof object.type === 'string')
        objects.set(key, { ...object, type: object.type, id: key });
    }
  }
  for (const ref of arrayAt(data, 'object_refs') ?? []) collect(ref, byId, objects);
  if (objects.size === 0) return invalid(origin, `${data.id} refers to no object in the line`);
  const observation: Observation = {
    observedData: data,
    objects,
    time: time.ms,
    context: contextOf(objects),
    sensor: 'stix',
    origin,
  };
  return observation;
}

/** Adds `ref` and, transitively, the objects its `*_ref`/`*_refs` properties name. */
function collect(ref: unknown, byId: ReadonlyMap<string, StixObject>, into: Map<string, StixObject>): void {
  if (typeof ref !== 'string' || !IDENTIFIER.test(ref) || into.has(ref)) return;
  const object = byId.get(ref);
  if (object === undefined) return;
  into.set(ref, object);
  for (const key in object) {
    if (key.endsWith('_ref')) collect(object[key], byId, into);
    else if (key.endsWith('_refs')) for (const item of arrayAt(object, key) ?? []) collect(item, byId, into);
  }
}

/** The context of passed-through STIX: from this project's Kubernetes extension, when an object has it. */
function contextOf(objects: ReadonlyMap<string, StixObject>): EventContext {
  for (const object of objects.values()) {
    const kubernetes = recordAt(recordAt(object, 'extensions'), KUBERNETES_EXTENSION_ID);
    if (kubernetes !== undefined) {
      return eventContext({
        node_name: textAt(kubernetes, 'node_name'),
        namespace: textAt(kubernetes, 'namespace'),
        pod_name: textAt(kubernetes, 'pod_name'),
        container_name: textAt(kubernetes, 'container_name'),
      });
    }
  }
  return {};
}
