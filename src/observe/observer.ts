import type { Observation, RawLine, Sensor, Skip, SkipReason } from '../contracts.js';
import { DEFAULT_MAX_LINE_BYTES, decodeLine } from './decode.js';
import { observeValue, type DetectContext } from './detect.js';
import { mapLosslessly, RoundedNumberError } from './fields.js';
import { AuditDeduplicator } from './k8s-audit.js';
import { isSkip, skip, type SensorResult } from './result.js';
import { TetragonMemory } from './tetragon.js';

export interface ObserverOptions {
  /** Lines longer than this many bytes are skipped as `line-too-long` (default 1 MiB). */
  readonly maxLineBytes?: number;
  /** How many audit ids are remembered to drop repeated audit events (default 65,536). */
  readonly auditDedupCapacity?: number;
}

export interface ObserverCounters {
  readonly observed: Readonly<Record<Sensor, number>>;
  readonly skipped: Readonly<Record<SkipReason, number>>;
}

export interface Observer {
  /** One line, one result. A line that holds several events (a STIX bundle, an audit EventList) gives a Skip: use `observeAll`. */
  observe(line: RawLine): Observation | Skip;
  /** Every event of a line, in order (one result for ordinary lines). */
  observeAll(line: RawLine): readonly (Observation | Skip)[];
  /** Observations by sensor and skips by reason, since the observer was created. */
  counters(): ObserverCounters;
}

const SENSORS: readonly Sensor[] = ['tetragon', 'k8s-audit', 'falco', 'kubescape', 'stix'];
const SKIP_REASONS: readonly SkipReason[] = [
  'malformed-json',
  'line-too-long',
  'binary',
  'unknown-format',
  'unsupported-event',
  'duplicate',
  'irrelevant',
  'invalid-event',
];

export const DEFAULT_AUDIT_DEDUP_CAPACITY = 65_536;
/** Parent processes and workloads remembered between Tetragon events (about 20 MiB when full, measured by bench/rss.ts). */
const PROCESS_MEMORY_CAPACITY = 20_000;

/** Creates an observer: sensor lines in, STIX observations (or counted skips) out. Never throws on input. */
export function createObserver(options: ObserverOptions = {}): Observer {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const deduplicator = new AuditDeduplicator(options.auditDedupCapacity ?? DEFAULT_AUDIT_DEDUP_CAPACITY);
  const tetragon = new TetragonMemory(PROCESS_MEMORY_CAPACITY);
  const observed = Object.fromEntries(SENSORS.map((sensor) => [sensor, 0])) as Record<Sensor, number>;
  const skipped = Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<SkipReason, number>;

  const count = (result: SensorResult): SensorResult => {
    if (isSkip(result)) skipped[result.reason]++;
    else observed[result.sensor]++;
    return result;
  };

  const map = (line: RawLine, lossless: boolean): SensorResult | SensorResult[] => {
    const decoded = decodeLine(line.text, maxLineBytes, lossless);
    if (!decoded.ok) return skip(decoded.reason, line.origin, decoded.detail);
    const context: DetectContext = { origin: line.origin, deduplicator, tetragon, maxLineBytes, lossless };
    return lossless
      ? mapLosslessly(() => observeValue(decoded.value, context))
      : observeValue(decoded.value, context);
  };

  const evaluate = (line: RawLine): SensorResult | SensorResult[] => {
    try {
      try {
        return map(line, false);
      } catch (error) {
        // Rare: the line holds an integer JSON.parse rounds; decode it again, keeping it exact.
        if (error instanceof RoundedNumberError) return map(line, true);
        throw error;
      }
    } catch (error) {
      // A mapping bug must not stop the stream: the line is counted and reported instead.
      const message = error instanceof Error ? error.message : String(error);
      return skip('invalid-event', line.origin, `could not map the event: ${message}`);
    }
  };

  return {
    observe(line) {
      const result = evaluate(line);
      if (!Array.isArray(result)) return count(result);
      if (result.length === 1 && result[0] !== undefined) return count(result[0]);
      const detail = `line holds ${result.length} events; read it with observeAll`;
      return count(skip(result.length === 0 ? 'irrelevant' : 'unsupported-event', line.origin, detail));
    },
    observeAll(line) {
      const result = evaluate(line);
      const results = Array.isArray(result) ? result : [result];
      if (results.length === 0) results.push(skip('irrelevant', line.origin, 'an empty list'));
      return results.map(count);
    },
    counters: () => ({ observed: { ...observed }, skipped: { ...skipped } }),
  };
}
