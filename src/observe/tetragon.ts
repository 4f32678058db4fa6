import assert from 'node:assert/strict';
import type { EventContext, Observation, Origin, StixObject } from '../contracts.js';
import {
  KUBERNETES_EXTENSION_ID,
  PROPERTY_EXTENSION,
  TETRAGON_EXTENSION_ID,
  type KubernetesContext,
} from './extensions.js';
import {
  arrayAt,
  copyInto,
  integerAt,
  isRecord,
  recordAt,
  stringAt,
  textAt,
  type JsonRecord,
} from './fields.js';
import { addKubernetesExtension, eventContext } from './kubernetes-context.js';
import { put, ScoSet } from './sco.js';
import { addArgumentObjects } from './tetragon-args.js';
import { isCanonicalUtc, timestampFromText } from './time.js';
import { invalid, type SensorResult } from './result.js';

/** The Tetragon events this stage maps (tetragon.proto GetEventsResponse). */
export const TETRAGON_EVENT_TYPES: ReadonlySet<string> = new Set([
  'process_exec',
  'process_exit',
  'process_kprobe',
  'process_tracepoint',
  'process_uprobe',
  'process_lsm',
]);

/** Other members of the GetEventsResponse oneof: recognised as Tetragon, not mapped. */
export const TETRAGON_OTHER_TYPES: ReadonlySet<string> = new Set([
  'process_loader',
  'process_throttle',
  'rate_limit_info',
  'test',
]);

/** Process fields that become standard STIX properties or the Kubernetes extension; `refcnt` changes with every event. */
const MAPPED_PROCESS_FIELDS: ReadonlySet<string> = new Set([
  'pid',
  'uid',
  'cwd',
  'binary',
  'arguments',
  'start_time',
  'pod',
  'refcnt',
]);

/** Event fields not copied into the event's extension: the processes themselves (mapped), `ancestors` (see docs). */
const PROCESS_FIELDS: ReadonlySet<string> = new Set(['process', 'parent', 'ancestors']);

/** One Tetragon event, whatever envelope it came in. */
export interface TetragonEvent {
  readonly type: string;
  readonly body: JsonRecord;
  readonly nodeName: string | undefined;
  readonly time: string | undefined;
}

/**
 * What a Tetragon observer remembers between events: parents recur in event after event (a shell
 * and its children), so a parent's objects are built once per exec_id; the Kubernetes extension
 * once per container. Keyed by one text of the event itself (a key built from several would be a new
 * string, hashed in full at every look-up), the rest checked on a hit. Bounded: cleared whole when full.
 */
export class TetragonMemory {
  private readonly parents = new Map<string, RememberedParent>();
  private readonly workloads = new Map<string, RememberedWorkload>();
  constructor(private readonly capacity: number) {}

  /** The objects of the parent `execId` whose own parent is `above`. */
  parent(
    execId: string,
    above: string | undefined,
    build: () => readonly StixObject[],
  ): readonly StixObject[] {
    const remembered = this.parents.get(execId);
    if (remembered !== undefined && remembered.above === above) return remembered.objects;
    const objects = build();
    store(this.parents, this.capacity, execId, { above, objects });
    return objects;
  }

  workload(place: Place, build: () => Workload): Workload {
    const key = place.container ?? place.pod ?? place.node ?? '';
    const remembered = this.workloads.get(key);
    if (remembered !== undefined && samePlace(remembered.place, place)) return remembered.workload;
    const workload = build();
    store(this.workloads, this.capacity, key, { place, workload });
    return workload;
  }
}

interface RememberedParent {
  readonly above: string | undefined;
  readonly objects: readonly StixObject[];
}

/** The node, pod and container a process runs in, as Tetragon names them. */
interface Place {
  readonly node: string | undefined;
  readonly namespace: string | undefined;
  readonly pod: string | undefined;
  readonly container: string | undefined;
}

interface RememberedWorkload {
  readonly place: Place;
  readonly workload: Workload;
}

function samePlace(a: Place, b: Place): boolean {
  return a.container === b.container && a.pod === b.pod && a.namespace === b.namespace && a.node === b.node;
}

/** Where a process runs: its Kubernetes extension (null when Tetragon says nothing) and the event context. */
interface Workload {
  readonly extension: Readonly<Record<string, unknown>> | null;
  readonly context: EventContext;
}

const NO_WORKLOAD: Workload = { extension: null, context: {} };

function store<V>(map: Map<string, V>, capacity: number, key: string, value: V): void {
  if (map.size >= capacity && !map.has(key)) map.clear();
  map.set(key, value);
}

export function observeTetragon(event: TetragonEvent, origin: Origin, memory: TetragonMemory): SensorResult {
  const time = event.time === undefined ? undefined : timestampFromText(event.time);
  if (time === undefined) return invalid(origin, `tetragon ${event.type} without a valid event time`);
  const process = recordAt(event.body, 'process');
  if (process === undefined) return invalid(origin, `tetragon ${event.type} without a process`);
  const set = new ScoSet();
  const parent = recordAt(event.body, 'parent');
  const grandparentRef = ancestorChain(set, event.body, event.nodeName, memory);
  const parentRef =
    parent === undefined ? undefined : parentObjects(set, parent, event.nodeName, memory, grandparentRef);
  const workload = workloadOf(process, event.nodeName, memory);
  // Two hooks may fire in the same nanosecond for one process: the hook and policy tell them apart.
  const eventKey = `\u0000${event.type}\u0000${time.iso}\u0000${textAt(event.body, 'function_name') ?? ''}\u0000${textAt(event.body, 'policy_name') ?? ''}`;
  addArgumentObjects(set, event.body, textAt(event.body, 'function_name'));
  set.subject(processObject(set, process, workload, event, eventKey, parentRef));
  return set.observe('tetragon', time, workload.context, origin) satisfies Observation;
}

/**
 * Tetragon's `ancestors` (with --enable-ancestors: the grandparent first, then upwards) as a chain
 * of processes linked by parent_ref; returns the grandparent's id, for the parent's parent_ref.
 */
function ancestorChain(
  set: ScoSet,
  body: JsonRecord,
  nodeName: string | undefined,
  memory: TetragonMemory,
): string | undefined {
  const ancestors = arrayAt(body, 'ancestors') ?? [];
  let above: string | undefined;
  for (let index = ancestors.length - 1; index >= 0; index--) {
    const ancestor = ancestors[index];
    if (isRecord(ancestor)) above = parentObjects(set, ancestor, nodeName, memory, above);
  }
  return above;
}

/**
 * A parent (or ancestor) process with its image and user, built once per exec_id and process above
 * it (see TetragonMemory); its id depends on the exec_id only.
 */
function parentObjects(
  set: ScoSet,
  parent: JsonRecord,
  nodeName: string | undefined,
  memory: TetragonMemory,
  parentRef: string | undefined,
): string {
  const build = (): readonly StixObject[] => {
    const own = new ScoSet();
    const workload = workloadOf(parent, nodeName, memory);
    own.subject(processObject(own, parent, workload, undefined, undefined, parentRef));
    return own.list();
  };
  const execId = textAt(parent, 'exec_id');
  const objects = execId === undefined ? build() : memory.parent(execId, parentRef, build);
  for (const object of objects) set.add(object);
  const [process] = objects;
  assert(process !== undefined);
  return process.id;
}

/** A process; the one an `event` is about also carries the event's own fields in its Tetragon extension. */
function processObject(
  set: ScoSet,
  process: JsonRecord,
  workload: Workload,
  event: TetragonEvent | undefined,
  eventKey: string | undefined,
  parentRef?: string,
): string {
  const properties: Record<string, unknown> = {};
  put(properties, 'pid', integerAt(process, 'pid'));
  put(properties, 'cwd', textAt(process, 'cwd'));
  put(properties, 'created_time', timestampOf(process));
  const binary = textAt(process, 'binary');
  const args = textAt(process, 'arguments');
  put(properties, 'command_line', binary === undefined || args === undefined ? binary : `${binary} ${args}`);
  put(properties, 'image_ref', binary === undefined ? undefined : set.file(binary));
  const uid = integerAt(process, 'uid') ?? integerAt(recordAt(process, 'process_credentials'), 'uid');
  put(properties, 'creator_user_ref', uid === undefined ? undefined : set.userAccount(String(uid)));
  put(properties, 'parent_ref', parentRef);
  const tetragon: Record<string, unknown> = { extension_type: PROPERTY_EXTENSION };
  copyInto(tetragon, process, MAPPED_PROCESS_FIELDS);
  if (event !== undefined) {
    copyInto(tetragon, event.body, PROCESS_FIELDS);
    tetragon.event_type = event.type;
    set.referToEventObjects(properties, tetragon);
  }
  properties.extensions =
    workload.extension === null
      ? { [TETRAGON_EXTENSION_ID]: tetragon }
      : { [KUBERNETES_EXTENSION_ID]: workload.extension, [TETRAGON_EXTENSION_ID]: tetragon };
  const execId = textAt(process, 'exec_id');
  // exec_id is unique per process across the cluster (node, boot time, pid): the process's identity.
  const identity =
    execId === undefined
      ? undefined
      : { key: `${execId}${eventKey ?? ''}`, recurring: eventKey === undefined };
  return set.process(properties, identity);
}

/** A start time in canonical UTC form is taken as it is; anything else is parsed and normalised. */
function timestampOf(process: JsonRecord): string | undefined {
  const text = stringAt(process, 'start_time');
  if (text === undefined) return undefined;
  return isCanonicalUtc(text) ? text : timestampFromText(text)?.iso;
}

/** The Kubernetes extension and context of a process's pod, shared by every process of the same container. */
function workloadOf(process: JsonRecord, nodeName: string | undefined, memory: TetragonMemory): Workload {
  const pod = recordAt(process, 'pod');
  const container = recordAt(pod, 'container');
  if (pod === undefined && nodeName === undefined) return NO_WORKLOAD;
  const place: Place = {
    node: nodeName,
    namespace: textAt(pod, 'namespace'),
    pod: textAt(pod, 'name'),
    container: textAt(container, 'id'),
  };
  return memory.workload(place, () => {
    const kubernetes = kubernetesOf(process, nodeName);
    const extensions: Record<string, unknown> = {};
    addKubernetesExtension(extensions, kubernetes);
    const extension = extensions[KUBERNETES_EXTENSION_ID];
    const context = Object.freeze(eventContext(kubernetes));
    return { extension: isRecord(extension) ? Object.freeze(extension) : null, context };
  });
}

function kubernetesOf(process: JsonRecord, nodeName: string | undefined): KubernetesContext {
  const pod = recordAt(process, 'pod');
  const container = recordAt(pod, 'container');
  const image = recordAt(container, 'image');
  return {
    node_name: nodeName,
    namespace: textAt(pod, 'namespace'),
    pod_name: textAt(pod, 'name'),
    pod_labels: recordAt(pod, 'pod_labels'),
    container_id: textAt(container, 'id'),
    container_name: textAt(container, 'name'),
    image_name: textAt(image, 'name'),
    image_id: textAt(image, 'id'),
    workload_name: textAt(pod, 'workload'),
    workload_kind: textAt(pod, 'workload_kind'),
  };
}
