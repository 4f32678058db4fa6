/**
 * The fake Kubernetes API's container logs: entries as the kubelet keeps them, the kubelet's selection
 * (`sinceTime`, `tailLines`) and the lines it writes (with or without timestamps).
 */
import type { ServerResponse } from 'node:http';
import { parseTimestampNanos } from '../../src/sources/kube-logs/timestamp.js';

/** A container whose log is served. */
export interface LogRef {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

export interface LogEntry {
  /** RFC3339Nano, as the kubelet writes it (trailing zeros of the fraction trimmed). */
  readonly time: string;
  readonly text: string;
}

export type TimestampedResponse = ServerResponse & { timestamps?: boolean };

export function timestampsOf(response: ServerResponse): boolean {
  return (response as TimestampedResponse).timestamps === true;
}

export function logKey(ref: LogRef): string {
  return `${ref.namespace}/${ref.pod}/${ref.container}`;
}

export function logPath(ref: LogRef): string {
  return `/api/v1/namespaces/${ref.namespace}/pods/${ref.pod}/log`;
}

export function formatLine(entry: LogEntry, timestamps: boolean): string {
  return timestamps ? `${entry.time} ${entry.text}\n` : `${entry.text}\n`;
}

/** The kubelet's selection: entries at or after `sinceTime` (inclusive, to the nanosecond), then the last `tailLines`. */
export function selectEntries(entries: readonly LogEntry[], query: Record<string, string>): LogEntry[] {
  let selected = [...entries];
  if (query.sinceTime !== undefined) {
    const since = parseTimestampNanos(query.sinceTime);
    if (since === undefined) throw new Error(`The fake API cannot read sinceTime=${query.sinceTime}.`);
    selected = selected.filter((entry) => (parseTimestampNanos(entry.time) ?? 0n) >= since);
  }
  if (query.tailLines !== undefined)
    selected = selected.slice(Math.max(0, selected.length - Number(query.tailLines)));
  return selected;
}

/** Go's RFC3339Nano: UTC, the fraction's trailing zeros trimmed (and no fraction when it is zero). */
export function formatRfc3339Nano(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n;
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return fraction === '' ? `${base}Z` : `${base}.${fraction}Z`;
}
