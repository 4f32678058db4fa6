import type { EventContext, Origin } from '../contracts.js';
import {
  KUBERNETES_API_REQUEST_EXTENSION_ID,
  KUBERNETES_OBJECT_EXTENSION_ID,
  NEW_SCO,
} from './extensions.js';
import { derivedId, deterministicId } from '../stix/ids.js';
import { arrayAt, integerAt, isRecord, recordAt, stringAt, textAt, type JsonRecord } from './fields.js';
import { invalid, skip, type SensorResult } from './result.js';
import { put, ScoSet } from './sco.js';
import { timestampFromText } from './time.js';

export function isAuditEvent(value: JsonRecord): boolean {
  const apiVersion = value.apiVersion;
  return value.kind === 'Event' && typeof apiVersion === 'string' && apiVersion.startsWith('audit.k8s.io/');
}

/** Remembers the last `capacity` audit ids (an audit log repeats events across rotations and webhook retries). */
export class AuditDeduplicator {
  private readonly seen = new Set<string>();
  constructor(private readonly capacity: number) {}
  has(auditId: string): boolean {
    return this.seen.has(auditId);
  }

  /** Records `auditId` once its event is mapped (a mapping may be retried: see fields.ts RoundedNumberError). */
  remember(auditId: string): void {
    if (this.seen.size >= this.capacity) {
      const oldest = this.seen.values().next();
      if (oldest.done !== true) this.seen.delete(oldest.value);
    }
    this.seen.add(auditId);
  }
}

/** STIX common property names a Kubernetes object's own fields must not overwrite (a Secret has `type`). */
const STIX_COMMON_PROPERTIES: ReadonlySet<string> = new Set([
  'type',
  'id',
  'spec_version',
  'extensions',
  'object_marking_refs',
  'granular_markings',
  'defanged',
]);

export function observeAuditEvent(
  event: JsonRecord,
  origin: Origin,
  deduplicator: AuditDeduplicator,
): SensorResult {
  const stage = stringAt(event, 'stage');
  if (stage !== 'ResponseComplete') return skip('irrelevant', origin, `audit stage ${stage ?? '(none)'}`);
  const auditId = textAt(event, 'auditID');
  if (auditId === undefined) return invalid(origin, 'audit event without auditID');
  const timeText = stringAt(event, 'stageTimestamp') ?? stringAt(event, 'requestReceivedTimestamp');
  const time = timeText === undefined ? undefined : timestampFromText(timeText);
  if (time === undefined) return invalid(origin, `audit event ${auditId} without a valid timestamp`);
  if (deduplicator.has(auditId)) return skip('duplicate', origin, `audit event ${auditId} seen before`);
  const set = new ScoSet();
  const objectRef = recordAt(event, 'objectRef');
  const request: Record<string, unknown> = { audit_id: auditId };
  addRequestProperties(request, event, objectRef);
  const user = recordAt(event, 'user');
  put(request, 'user_ref', set.userAccount(textAt(user, 'username'), 'kubernetes'));
  put(request, 'object_ref', requestObject(set, event, auditId));
  request.extensions = { [KUBERNETES_API_REQUEST_EXTENSION_ID]: { extension_type: NEW_SCO } };
  set.subject(
    set.custom(
      'kubernetes-api-request',
      deterministicId('kubernetes-api-request', { audit_id: auditId }),
      request,
    ),
  );
  const observation = set.observe('k8s-audit', time, contextOf(objectRef), origin);
  deduplicator.remember(auditId);
  return observation;
}

function addRequestProperties(
  request: Record<string, unknown>,
  event: JsonRecord,
  objectRef: JsonRecord | undefined,
): void {
  put(request, 'verb', textAt(event, 'verb'));
  put(request, 'request_uri', textAt(event, 'requestURI'));
  put(request, 'resource', textAt(objectRef, 'resource'));
  put(request, 'subresource', textAt(objectRef, 'subresource'));
  put(request, 'namespace', textAt(objectRef, 'namespace'));
  put(request, 'name', textAt(objectRef, 'name'));
  put(request, 'api_group', textAt(objectRef, 'apiGroup'));
  put(request, 'api_version', textAt(objectRef, 'apiVersion'));
  const status = recordAt(event, 'responseStatus');
  put(request, 'response_code', integerAt(status, 'code'));
  put(request, 'response_reason', textAt(status, 'reason'));
  put(request, 'response_message', textAt(status, 'message'));
  put(request, 'user_agent', textAt(event, 'userAgent'));
  put(request, 'source_ips', arrayAt(event, 'sourceIPs'));
  const user = recordAt(event, 'user');
  put(request, 'user_groups', arrayAt(user, 'groups'));
  put(request, 'impersonated_user', textAt(recordAt(event, 'impersonatedUser'), 'username'));
  put(request, 'level', textAt(event, 'level'));
  put(request, 'stage', textAt(event, 'stage'));
  put(request, 'request_received_time', textAt(event, 'requestReceivedTimestamp'));
  put(request, 'annotations', recordAt(event, 'annotations'));
}

/** The object sent (`requestObject`), else the one returned (`responseObject`), as a `kubernetes-<kind>` SCO. */
function requestObject(set: ScoSet, event: JsonRecord, auditId: string): string | undefined {
  for (const field of ['requestObject', 'responseObject'] as const) {
    const object = event[field];
    if (!isRecord(object)) continue;
    const type = kubernetesObjectType(object.kind);
    if (type === undefined) continue;
    const properties: Record<string, unknown> = {};
    for (const key in object) {
      put(properties, STIX_COMMON_PROPERTIES.has(key) ? `k8s_${key}` : key, object[key]);
    }
    properties.extensions = { [KUBERNETES_OBJECT_EXTENSION_ID]: { extension_type: NEW_SCO } };
    return set.custom(type, derivedId(type, `${auditId}\u0000${field}`), properties);
  }
  return undefined;
}

/** `kubernetes-` + the kind in kebab case: PersistentVolumeClaim → kubernetes-persistent-volume-claim. */
export function kubernetesObjectType(kind: unknown): string | undefined {
  if (typeof kind !== 'string' || !/^[A-Za-z][A-Za-z0-9]{0,200}$/.test(kind)) return undefined;
  const kebab = kind
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
  return `kubernetes-${kebab}`;
}

function contextOf(objectRef: JsonRecord | undefined): EventContext {
  const namespace = textAt(objectRef, 'namespace');
  const pod = textAt(objectRef, 'resource') === 'pods' ? textAt(objectRef, 'name') : undefined;
  const context: { namespace?: string; pod?: string } = {};
  if (namespace !== undefined) context.namespace = namespace;
  if (pod !== undefined) context.pod = pod;
  return context;
}
