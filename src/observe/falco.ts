import type { Origin } from '../contracts.js';
import { FALCO_EXTENSION_ID, PROPERTY_EXTENSION, type KubernetesContext } from './extensions.js';
import { integerAt, integerTextAt, recordAt, textAt, without, type JsonRecord } from './fields.js';
import { addKubernetesExtension, eventContext } from './kubernetes-context.js';
import { connection, networkLayer, transportLayer } from './network.js';
import { skip, invalid, type SensorResult } from './result.js';
import { put, ScoSet } from './sco.js';
import { timestampFromEpochNanos, timestampFromText, type Timestamp } from './time.js';

export function isFalcoAlert(value: JsonRecord): boolean {
  return (
    typeof value.rule === 'string' && typeof value.priority === 'string' && typeof value.output === 'string'
  );
}

/** Alert fields copied into the Falco extension as they are. */
const ALERT_FIELDS = ['rule', 'priority', 'source', 'tags', 'hostname', 'output', 'uuid'] as const;

export function observeFalco(alert: JsonRecord, origin: Origin): SensorResult {
  const fields = recordAt(alert, 'output_fields') ?? {};
  // evt.time is beyond 2^53 in every alert: reading it first makes the optimistic decoding give up
  // before any work is done (see fields.ts RoundedNumberError).
  integerTextAt(fields, 'evt.time');
  const time = falcoTime(alert, fields);
  if (time === undefined) return invalid(origin, 'falco alert without a valid time');
  if (integerAt(fields, 'proc.pid') === undefined && textAt(fields, 'proc.name') === undefined) {
    const source = textAt(alert, 'source') ?? 'unknown';
    return skip('unsupported-event', origin, `falco alert (source ${source}) without process fields`);
  }
  const set = new ScoSet();
  const kubernetes = kubernetesOf(alert, fields);
  const parentRef = parentProcess(set, fields, kubernetes);
  addFileObjects(set, fields);
  addConnection(set, fields);
  const process: Record<string, unknown> = {};
  put(process, 'pid', integerAt(fields, 'proc.pid'));
  put(process, 'cwd', textAt(fields, 'proc.cwd'));
  addImage(set, process, processImage(fields, 'proc.exepath', 'proc.name', 'proc.cmdline', 'proc.args'));
  const uid = integerTextAt(fields, 'user.uid');
  put(process, 'creator_user_ref', set.userAccount(uid, undefined, textAt(fields, 'user.name')));
  put(process, 'parent_ref', parentRef);
  const extensions: Record<string, unknown> = {};
  addKubernetesExtension(extensions, kubernetes);
  const falco: Record<string, unknown> = { extension_type: PROPERTY_EXTENSION };
  for (const key of ALERT_FIELDS) put(falco, key, alert[key]);
  put(falco, 'output_fields', without(fields, new Set()));
  set.referToEventObjects(process, falco);
  extensions[FALCO_EXTENSION_ID] = falco;
  process.extensions = extensions;
  // The alert is the process's event: its identity is the alert's (node, pid, time, rule).
  const key = `${kubernetes.node_name ?? ''}\u0000${String(process.pid)}\u0000${time.iso}\u0000${String(alert.rule)}`;
  set.subject(set.process(process, { key, recurring: false }));
  return set.observe('falco', time, eventContext(kubernetes), origin);
}

function falcoTime(alert: JsonRecord, fields: JsonRecord): Timestamp | undefined {
  const text = textAt(alert, 'time');
  const parsed = text === undefined ? undefined : timestampFromText(text);
  if (parsed !== undefined) return parsed;
  const nanos = integerTextAt(fields, 'evt.time');
  return nanos === undefined ? undefined : timestampFromEpochNanos(nanos);
}

interface Image {
  readonly binary: string | undefined;
  readonly commandLine: string | undefined;
}

/** Binary and command line: the executable path (else the name) plus `' ' + arguments` when there are any. */
function processImage(
  fields: JsonRecord,
  pathField: string,
  nameField: string,
  cmdlineField: string,
  argsField?: string,
): Image {
  const name = textAt(fields, nameField);
  const binary = textAt(fields, pathField) ?? name;
  if (binary === undefined) return { binary, commandLine: textAt(fields, cmdlineField) };
  const cmdline = textAt(fields, cmdlineField);
  // proc.cmdline is "name args"; proc.args, when present, is the arguments alone.
  const args =
    (argsField === undefined ? undefined : textAt(fields, argsField)) ??
    (name !== undefined && cmdline?.startsWith(`${name} `) === true
      ? cmdline.slice(name.length + 1)
      : undefined);
  return { binary, commandLine: args === undefined || args === '' ? binary : `${binary} ${args}` };
}

function addImage(set: ScoSet, process: Record<string, unknown>, image: Image): void {
  put(process, 'command_line', image.commandLine);
  put(process, 'image_ref', image.binary === undefined ? undefined : set.file(image.binary));
}

function parentProcess(set: ScoSet, fields: JsonRecord, kubernetes: KubernetesContext): string | undefined {
  const pid = integerAt(fields, 'proc.ppid');
  const image = processImage(fields, 'proc.pexepath', 'proc.pname', 'proc.pcmdline');
  if (pid === undefined && image.binary === undefined) return undefined;
  const parent: Record<string, unknown> = {};
  put(parent, 'pid', pid);
  addImage(set, parent, image);
  const extensions: Record<string, unknown> = {};
  addKubernetesExtension(extensions, kubernetes);
  if (Object.keys(extensions).length > 0) parent.extensions = extensions;
  return set.process(parent);
}

function kubernetesOf(alert: JsonRecord, fields: JsonRecord): KubernetesContext {
  const repository = textAt(fields, 'container.image.repository');
  const tag = textAt(fields, 'container.image.tag');
  return {
    node_name: textAt(alert, 'hostname'),
    namespace: textAt(fields, 'k8s.ns.name'),
    pod_name: textAt(fields, 'k8s.pod.name'),
    container_id: textAt(fields, 'container.id'),
    container_name: textAt(fields, 'container.name'),
    image_name:
      repository === undefined || tag === undefined
        ? (repository ?? textAt(fields, 'container.image'))
        : `${repository}:${tag}`,
    image_id: textAt(fields, 'container.image.digest'),
  };
}

/** Paths an alert names: the file descriptor's (when it is a file) and those of link/rename events. */
function addFileObjects(set: ScoSet, fields: JsonRecord): void {
  const fdType = textAt(fields, 'fd.type');
  const fdName = textAt(fields, 'fd.name');
  const isFile = fdType === 'file' || fdType === 'directory' || textAt(fields, 'fd.typechar') === 'f';
  if (fdName !== undefined && isFile) set.namedFile(fdName);
  for (const key of ['fs.path.name', 'fs.path.source', 'fs.path.target']) {
    const path = textAt(fields, key);
    if (path !== undefined) set.namedFile(path);
  }
}

/** fd.cip/cport is the client (the side that connected), fd.sip/sport the server. */
function addConnection(set: ScoSet, fields: JsonRecord): void {
  const client = { address: textAt(fields, 'fd.cip'), port: integerAt(fields, 'fd.cport') };
  const server = { address: textAt(fields, 'fd.sip'), port: integerAt(fields, 'fd.sport') };
  if (client.address === undefined && server.address === undefined) return;
  const layers = {
    network: networkLayer(textAt(fields, 'fd.type'), server.address ?? client.address),
    transport: transportLayer(textAt(fields, 'fd.l4proto')),
  };
  set.connection(connection(client, server, layers, false));
}
