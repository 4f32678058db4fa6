import type { EventContext, Observation, StixObject } from '../contracts.js';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function place(context: EventContext): string {
  const parts: string[] = [];
  if (context.pod !== undefined) parts.push(`pod ${context.namespace ?? '?'}/${context.pod}`);
  else if (context.namespace !== undefined) parts.push(`namespace ${context.namespace}`);
  if (context.container !== undefined) parts.push(`container ${context.container}`);
  if (context.node !== undefined) parts.push(`node ${context.node}`);
  return parts.join(', ');
}

function describeProcess(process: StixObject): string {
  const command = text(process.command_line) ?? text(process.name) ?? 'a process';
  return typeof process.pid === 'number' ? `${command} (pid ${process.pid})` : command;
}

function describeRequest(request: StixObject, objects: ReadonlyMap<string, StixObject>): string {
  const userRef = text(request.user_ref);
  const user = userRef === undefined ? undefined : text(objects.get(userRef)?.user_id);
  const resource = [text(request.resource), text(request.subresource)].filter(Boolean).join('/');
  const target = [text(request.namespace), text(request.name)].filter(Boolean).join('/');
  const verb = text(request.verb) ?? 'request';
  return [user, verb, resource, target].filter(Boolean).join(' ');
}

/** What the observation is about, in a few words: the request, the process, or the first object. */
export function describeObservation(observation: Observation): string {
  const refs = observation.observedData.object_refs;
  const roots = (Array.isArray(refs) ? refs : [])
    .map((ref) => (typeof ref === 'string' ? observation.objects.get(ref) : undefined))
    .filter((o): o is StixObject => o !== undefined);
  const request = roots.find((o) => o.type === 'kubernetes-api-request');
  if (request !== undefined) return describeRequest(request, observation.objects);
  // The process that acted is the one no other process names as its parent.
  const parents = new Set(roots.map((o) => o.parent_ref));
  const processes = roots.filter((o) => o.type === 'process');
  const process = processes.find((o) => !parents.has(o.id)) ?? processes[0];
  if (process !== undefined) return describeProcess(process);
  const first = roots[0];
  return first === undefined
    ? observation.sensor
    : `${first.type} ${text(first.value) ?? text(first.name) ?? first.id}`;
}

/** One line for people: where it happened and what the last matching event was. */
export function summarize(context: EventContext, observations: readonly Observation[]): string {
  const last = observations[observations.length - 1];
  const where = place(context);
  const what = last === undefined ? '' : describeObservation(last);
  return [where, what].filter((s) => s !== '').join(': ');
}
