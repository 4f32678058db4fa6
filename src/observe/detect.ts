import type { Origin } from '../contracts.js';
import { decodeLine } from './decode.js';
import { isFalcoAlert, observeFalco } from './falco.js';
import { arrayAt, checkNumbers, isRecord, textAt, type JsonRecord } from './fields.js';
import { isAuditEvent, observeAuditEvent, type AuditDeduplicator } from './k8s-audit.js';
import { isKubescapeAlert, isLogLine, observeKubescape } from './kubescape.js';
import { skip, type SensorResult } from './result.js';
import { isStixLine, observeStix } from './stix.js';
import {
  observeTetragon,
  TETRAGON_EVENT_TYPES,
  TETRAGON_OTHER_TYPES,
  type TetragonMemory,
} from './tetragon.js';

export interface DetectContext {
  readonly origin: Origin;
  readonly deduplicator: AuditDeduplicator;
  readonly tetragon: TetragonMemory;
  readonly maxLineBytes: number;
  /** The line was decoded losslessly (see decode.ts); envelopes holding JSON text are decoded the same way. */
  readonly lossless: boolean;
}

/** Envelopes nest (a Redpanda message around a Vector envelope); deeper than this is not a sensor line. */
const MAX_ENVELOPE_DEPTH = 3;

/**
 * Finds the format of one decoded line and maps it. Returns one result for a single event, an array
 * for lines that hold several (a STIX bundle, an audit EventList, a JSON array of messages).
 */
export function observeValue(
  value: unknown,
  context: DetectContext,
  depth = 0,
): SensorResult | SensorResult[] {
  const { origin } = context;
  if (Array.isArray(value)) return value.flatMap((item) => observeValue(item, context, depth + 1));
  if (!isRecord(value))
    return skip('unknown-format', origin, `a JSON ${value === null ? 'null' : typeof value}`);
  for (const type of TETRAGON_EVENT_TYPES) {
    const body = value[type];
    if (isRecord(body)) {
      return observeTetragon(
        { type, body, nodeName: textAt(value, 'node_name'), time: textAt(value, 'time') },
        origin,
        context.tetragon,
      );
    }
  }
  const envelope = envelopeOf(value, context, depth);
  if (envelope !== undefined) return envelope;
  if (isAuditEvent(value)) return observeAuditEvent(value, origin, context.deduplicator);
  if (value.kind === 'EventList' && Array.isArray(value.items)) {
    return (arrayAt(value, 'items') ?? []).flatMap((item) => observeValue(item, context, depth + 1));
  }
  if (isFalcoAlert(value)) return observeFalco(value, origin);
  if (isKubescapeAlert(value)) return observeKubescape(value, origin);
  if (isStixLine(value)) {
    // Passed through without stixValue: its numbers are checked here (see fields.ts RoundedNumberError).
    checkNumbers(value);
    return observeStix(value, origin);
  }
  for (const key in value) {
    if (TETRAGON_OTHER_TYPES.has(key)) return skip('unsupported-event', origin, `tetragon ${key}`);
  }
  if (isLogLine(value)) return skip('irrelevant', origin, 'a log line, not an event');
  if (typeof value.type === 'string' && typeof value.id === 'string' && value.id.includes('--')) {
    return skip('irrelevant', origin, `STIX ${value.type}, not observed-data`);
  }
  return skip(
    'unknown-format',
    origin,
    `no known format has keys ${Object.keys(value).slice(0, 5).join(', ')}`,
  );
}

/** The `{time, node_name, type, payload}` envelope of honeycluster's Vector, and the `{value: {payload}}` of a Redpanda Console download. */
function envelopeOf(
  value: JsonRecord,
  context: DetectContext,
  depth: number,
): SensorResult | SensorResult[] | undefined {
  const { origin } = context;
  const type = value.type;
  const payload = value.payload;
  if (typeof type === 'string' && isRecord(payload)) {
    if (TETRAGON_EVENT_TYPES.has(type)) {
      const nodeName = textAt(value, 'node_name') ?? textAt(payload, 'node_name');
      return observeTetragon(
        { type, body: payload, nodeName, time: textAt(value, 'time') ?? textAt(payload, 'time') },
        origin,
        context.tetragon,
      );
    }
    if (TETRAGON_OTHER_TYPES.has(type)) return skip('unsupported-event', origin, `tetragon ${type}`);
  }
  const message = value.value;
  if (!isRecord(message) || !('payload' in message)) return undefined;
  if (depth >= MAX_ENVELOPE_DEPTH) return skip('unknown-format', origin, 'envelopes nested too deep');
  const inner = message.payload;
  if (typeof inner !== 'string') return observeValue(inner, context, depth + 1);
  const decoded = decodeLine(inner, context.maxLineBytes, context.lossless);
  return decoded.ok
    ? observeValue(decoded.value, context, depth + 1)
    : skip(decoded.reason, origin, decoded.detail);
}
