import type { Origin } from '../contracts.js';
import { KUBESCAPE_EXTENSION_ID, PROPERTY_EXTENSION, type KubernetesContext } from './extensions.js';
import { integerAt, integerTextAt, isRecord, recordAt, stringAt, textAt, type JsonRecord } from './fields.js';
import { addKubernetesExtension, eventContext } from './kubernetes-context.js';
import { connection, networkLayer, transportLayer } from './network.js';
import { invalid, type SensorResult } from './result.js';
import { put, ScoSet } from './sco.js';
import { timestampFromEpochNanos, timestampFromText, type Timestamp } from './time.js';

/** A node-agent rule alert (as opposed to the node-agent's own log lines). */
export function isKubescapeAlert(value: JsonRecord): boolean {
  return typeof value.RuleID === 'string' && isRecord(value.BaseRuntimeMetadata);
}

/** A structured log line of the node-agent (or any zap/logrus-style logger): recognised, not an event. */
export function isLogLine(value: JsonRecord): boolean {
  return (
    typeof value.level === 'string' && (typeof value.msg === 'string' || typeof value.message === 'string')
  );
}

export function observeKubescape(alert: JsonRecord, origin: Origin): SensorResult {
  const metadata = recordAt(alert, 'BaseRuntimeMetadata') ?? {};
  // event.timestamp is beyond 2^53: read first, so an optimistic decoding gives up at once (fields.ts).
  integerTextAt(recordAt(alert, 'event'), 'timestamp');
  const time = alertTime(alert, metadata);
  if (time === undefined) return invalid(origin, 'kubescape alert without a valid timestamp');
  const details = recordAt(alert, 'RuntimeProcessDetails');
  // Older node-agents put the process fields on RuntimeProcessDetails itself, without a tree.
  const tree =
    recordAt(details, 'processTree') ?? (integerAt(details, 'pid') === undefined ? undefined : details);
  if (tree === undefined) return invalid(origin, 'kubescape alert without a process tree');
  const set = new ScoSet();
  const kubernetes = kubernetesOf(alert);
  const { node, parent } = findProcess(tree, integerAt(metadata, 'infectedPID'));
  const parentRef =
    parent !== undefined
      ? processObject(set, parent, kubernetes, undefined, undefined)
      : parentStub(set, node, kubernetes);
  addArgumentObjects(set, recordAt(metadata, 'arguments'));
  // The alert is the process's event: its identity is the alert's (node, pid, time, rule).
  const key = `${kubernetes.node_name ?? ''}\u0000${String(integerAt(node, 'pid'))}\u0000${time.iso}\u0000${String(alert.RuleID)}`;
  set.subject(processObject(set, node, kubernetes, alertExtension(alert, metadata), parentRef, key));
  return set.observe('kubescape', time, eventContext(kubernetes), origin);
}

function alertTime(alert: JsonRecord, metadata: JsonRecord): Timestamp | undefined {
  const text = textAt(metadata, 'timestamp');
  const parsed = text === undefined ? undefined : timestampFromText(text);
  if (parsed !== undefined) return parsed;
  const nanos = integerTextAt(recordAt(alert, 'event'), 'timestamp');
  return nanos === undefined ? undefined : timestampFromEpochNanos(nanos);
}

interface Found {
  readonly node: JsonRecord;
  readonly parent?: JsonRecord;
}

/** The alerting process (infectedPID) in the process tree, with its parent when the tree holds it. */
function findProcess(tree: JsonRecord, pid: number | undefined): Found {
  if (pid === undefined || integerAt(tree, 'pid') === pid) return { node: tree };
  const stack: Found[] = [{ node: tree }];
  for (let found = stack.pop(); found !== undefined; found = stack.pop()) {
    const children = recordAt(found.node, 'childrenMap') ?? {};
    for (const key in children) {
      const child = children[key];
      if (!isRecord(child)) continue;
      if (integerAt(child, 'pid') === pid) return { node: child, parent: found.node };
      stack.push({ node: child });
    }
  }
  return { node: tree };
}

function processObject(
  set: ScoSet,
  node: JsonRecord,
  kubernetes: KubernetesContext,
  alert: Record<string, unknown> | undefined,
  parentRef: string | undefined,
  identityKey?: string,
): string {
  const process: Record<string, unknown> = {};
  put(process, 'pid', integerAt(node, 'pid'));
  put(process, 'cwd', textAt(node, 'cwd'));
  const started = textAt(node, 'startTime');
  put(process, 'created_time', started === undefined ? undefined : timestampFromText(started)?.iso);
  // node-agent gives the command line whole (binary and arguments): kept as it is.
  put(process, 'command_line', textAt(node, 'cmdline'));
  const path = textAt(node, 'path') ?? textAt(node, 'hardlink');
  put(process, 'image_ref', path === undefined ? undefined : set.file(path));
  const uid = integerTextAt(node, 'uid');
  put(process, 'creator_user_ref', uid === undefined ? undefined : set.userAccount(uid));
  put(process, 'parent_ref', parentRef);
  const extensions: Record<string, unknown> = {};
  addKubernetesExtension(extensions, kubernetes);
  const kubescape = { extension_type: PROPERTY_EXTENSION, ...processFields(node), ...alert };
  if (alert !== undefined) set.referToEventObjects(process, kubescape);
  extensions[KUBESCAPE_EXTENSION_ID] = kubescape;
  process.extensions = extensions;
  return set.process(process, identityKey === undefined ? undefined : { key: identityKey, recurring: false });
}

function processFields(node: JsonRecord): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  put(fields, 'comm', textAt(node, 'comm'));
  put(fields, 'gid', integerAt(node, 'gid'));
  put(fields, 'upper_layer', typeof node.upperLayer === 'boolean' ? node.upperLayer : undefined);
  return fields;
}

/** The parent known only by ppid and pcomm. */
function parentStub(set: ScoSet, node: JsonRecord, kubernetes: KubernetesContext): string | undefined {
  const pid = integerAt(node, 'ppid');
  if (pid === undefined) return undefined;
  const parent: Record<string, unknown> = { pid };
  const extensions: Record<string, unknown> = {};
  addKubernetesExtension(extensions, kubernetes);
  const comm = textAt(node, 'pcomm');
  if (comm !== undefined) extensions[KUBESCAPE_EXTENSION_ID] = { extension_type: PROPERTY_EXTENSION, comm };
  parent.extensions = extensions;
  return set.process(parent);
}

function alertExtension(alert: JsonRecord, metadata: JsonRecord): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  put(fields, 'rule_id', textAt(alert, 'RuleID'));
  put(fields, 'alert_name', textAt(metadata, 'alertName'));
  put(fields, 'severity', integerAt(metadata, 'severity'));
  put(fields, 'infected_pid', integerAt(metadata, 'infectedPID'));
  put(fields, 'arguments', recordAt(metadata, 'arguments'));
  put(fields, 'message', textAt(alert, 'message'));
  put(fields, 'level', textAt(alert, 'level'));
  put(fields, 'event_type', textAt(recordAt(alert, 'event'), 'type'));
  put(fields, 'event_timestamp', integerTextAt(recordAt(alert, 'event'), 'timestamp'));
  return fields;
}

function kubernetesOf(alert: JsonRecord): KubernetesContext {
  const details = recordAt(alert, 'RuntimeK8sDetails');
  const k8s = recordAt(recordAt(alert, 'event'), 'k8s');
  return {
    node_name: textAt(details, 'nodeName') ?? textAt(alert, 'hostname'),
    cluster_name: textAt(details, 'clusterName'),
    namespace: textAt(details, 'podNamespace') ?? textAt(details, 'namespace'),
    pod_name: textAt(details, 'podName'),
    pod_labels: recordAt(k8s, 'podLabels'),
    container_id: textAt(details, 'containerID'),
    container_name: textAt(details, 'containerName'),
    image_name: textAt(details, 'image'),
    image_id: textAt(details, 'imageDigest'),
    workload_name: textAt(details, 'workloadName'),
    workload_kind: textAt(details, 'workloadKind'),
  };
}

/** Rule arguments: a path becomes a file; an address and port a connection from the process. */
function addArgumentObjects(set: ScoSet, args: JsonRecord | undefined): void {
  if (args === undefined) return;
  for (const key of ['path', 'fullPath', 'oldPath', 'newPath']) {
    const path = textAt(args, key);
    if (path?.startsWith('/') === true) set.namedFile(path);
  }
  const address = textAt(args, 'ip') ?? textAt(args, 'dstIP') ?? textAt(args, 'address');
  if (address === undefined) return;
  const layers = {
    network: networkLayer(undefined, address),
    transport: transportLayer(stringAt(args, 'proto') ?? stringAt(args, 'protocol')),
  };
  set.connection(connection({}, { address, port: integerAt(args, 'port') }, layers, false));
}
