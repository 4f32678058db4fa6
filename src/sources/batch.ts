/** Turns split lines into bounded batches of `RawLine`s, counting what is read and dropped. */
import { z } from 'zod';
import type { Origin, RawLine } from '../contracts.js';
import type { SourceCounters } from './counters.js';
import type { DropReporter } from './events.js';
import { DEFAULT_MAX_LINE_BYTES, type SplitResult } from './lines.js';

/** Options every line-reading source shares; spread into each source's config schema. */
export const lineReadingOptions = {
  maxLineBytes: z
    .number()
    .int()
    .positive()
    .default(DEFAULT_MAX_LINE_BYTES)
    .describe('Longest line kept, in bytes; longer lines are dropped and counted.'),
  maxBatchLines: z.number().int().positive().default(1000).describe('Most lines handed downstream at once.'),
  maxBatchBytes: z
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024)
    .describe('Most bytes of lines handed downstream at once (a single longer line still goes alone).'),
  readChunkBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024)
    .describe('Bytes read from a file or stream at a time.'),
};

export interface BatchLimits {
  readonly maxBatchLines: number;
  readonly maxBatchBytes: number;
}

/** The part of an origin that is the same for every line of one file. */
export type FileOrigin = Pick<Origin, 'source' | 'file' | 'fingerprint'>;

export class LineBatcher {
  constructor(
    private readonly limits: BatchLimits,
    private readonly counters: SourceCounters,
    private readonly drops: DropReporter,
  ) {}

  /** The lines among `results` as batches within the limits; oversized lines are counted and reported. */
  toBatches(results: readonly SplitResult[], origin: FileOrigin): RawLine[][] {
    const batches: RawLine[][] = [];
    let batch: RawLine[] = [];
    let batchBytes = 0;
    for (const result of results) {
      this.counters.bytesRead += result.bytes;
      if (result.kind === 'too-long') {
        this.counters.dropped['line-too-long'] += 1;
        this.drops.lineTooLong({ file: origin.file, line: result.line, bytes: result.bytes });
        continue;
      }
      if (
        batch.length > 0 &&
        (batch.length >= this.limits.maxBatchLines || batchBytes + result.bytes > this.limits.maxBatchBytes)
      ) {
        batches.push(batch);
        batch = [];
        batchBytes = 0;
      }
      batch.push({ text: result.text, origin: { ...origin, line: result.line, offset: result.endOffset } });
      batchBytes += result.bytes;
      this.counters.linesRead += 1;
    }
    if (batch.length > 0) batches.push(batch);
    return batches;
  }
}
