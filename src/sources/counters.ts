/** Per-source counters, kept as plain numbers so the daemon can publish them as metrics. */

/** Why a source dropped input: `line-too-long` (over `maxLineBytes`), `unreadable` (a file or stream failed). */
export type SourceDropReason = 'line-too-long' | 'unreadable';

export interface SourceCounters {
  /** Lines yielded downstream. */
  linesRead: number;
  /** Bytes consumed from the input (after decompression), terminators and dropped lines included. */
  bytesRead: number;
  dropped: Record<SourceDropReason, number>;
}

export function createCounters(): SourceCounters {
  return { linesRead: 0, bytesRead: 0, dropped: { 'line-too-long': 0, unreadable: 0 } };
}

/** A copy, so that a reader cannot change the source's own counters. */
export function snapshotCounters(counters: SourceCounters): SourceCounters {
  return { ...counters, dropped: { ...counters.dropped } };
}
