import type { Origin, RawLine } from '../contracts.js';
import type { SourceCounters } from './counters.js';

/**
 * A source of log lines. Pull-based: a source reads only as fast as its consumer iterates,
 * which is how backpressure reaches the files, streams and sockets behind it.
 */
export interface Source {
  /** The configured id, also `Origin.source` of every line it yields. */
  readonly id: string;
  /** Lines in order, in batches (for throughput). Ends when the input is exhausted or the source is stopped. */
  batches(): AsyncIterable<readonly RawLine[]>;
  /**
   * Everything up to and including `origin` has been delivered downstream: the source may persist
   * this position. Origins are committed in the order they were yielded.
   */
  commit(origin: Origin): void;
  /**
   * Stop reading; `batches()` ends soon after. Saves checkpoints: calling it again after the last
   * commits have arrived saves those too.
   */
  stop(): Promise<void>;
  /** Lines and bytes read and dropped so far, by reason (a copy), for metrics and summaries. */
  counters?(): SourceCounters;
}
