import type { Observation, Origin } from '../contracts.js';
import { PROPERTY_EXTENSION, TETRAGON_EXTENSION_ID, type KubernetesContext } from './extensions.js';
import { integerAt, recordAt, stringAt, textAt, without, type JsonRecord } from './fields.js';
import { addKubernetesExtension, eventContext } from './kubernetes-context.js';
import { put, ScoSet } from './sco.js';
import { addArgumentObjects } from './tetragon-args.js';
import { timestampFromText } from './time.js';
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

export function observeTetragon(event: TetragonEvent, origin: Origin): SensorResult {
  const time = event.time === undefined ? undefined : timestampFromText(event.time);
  if (time === undefined) return invalid(origin, `tetragon ${event.type} without a valid event time`);
  const process = recordAt(event.body, 'process');
  if (process === undefined) return invalid(origin, `tetragon ${event.type} without a process`);
  const set = new ScoSet();
  const parent = recordAt(event.body, 'parent');
  const parentKubernetes = parent === undefined ? undefined : kubernetesOf(parent, event.nodeName);
  const eventFields = without(event.body, PROCESS_FIELDS) ?? {};
  eventFields.event_type = event.type;
  const kubernetes = kubernetesOf(process, event.nodeName);
  const parentRef =
    parent === undefined ? undefined : processObject(set, parent, parentKubernetes ?? {}, undefined);
  set.subject(processObject(set, process, kubernetes, eventFields, parentRef));
  addArgumentObjects(set, event.body, textAt(event.body, 'function_name'));
  return set.observe('tetragon', time, eventContext(kubernetes), origin) satisfies Observation;
}

function processObject(
  set: ScoSet,
  process: JsonRecord,
  kubernetes: KubernetesContext,
  eventFields: Record<string, unknown> | undefined,
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
  const extensions: Record<string, unknown> = {};
  addKubernetesExtension(extensions, kubernetes);
  extensions[TETRAGON_EXTENSION_ID] = {
    extension_type: PROPERTY_EXTENSION,
    ...without(process, MAPPED_PROCESS_FIELDS),
    ...eventFields,
  };
  properties.extensions = extensions;
  return set.process(properties);
}

function timestampOf(process: JsonRecord): string | undefined {
  const text = stringAt(process, 'start_time');
  return text === undefined ? undefined : timestampFromText(text)?.iso;
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
