/**
 * Log events shared by the byte-stream sources (files, stdin, tail), each with a fixed code.
 * Drops are logged with their `reason` and `intentional` flag, and rate-limited: the counters are exact.
 */
import type { Logger } from 'pino';

export type SourceEventCode = 'SOURCE_LINE_TOO_LONG' | 'SOURCE_DROPS_SUPPRESSED';

/** Where a dropped line was. */
export interface LinePosition {
  readonly file?: string;
  readonly line: number;
  readonly bytes: number;
}

/** Logs the first `limit` dropped lines of a source, then says once that further drops are only counted. */
export class DropReporter {
  private logged = 0;

  constructor(
    private readonly logger: Logger,
    private readonly maxLineBytes: number,
    private readonly limit = 10,
  ) {}

  lineTooLong(position: LinePosition): void {
    this.logged += 1;
    if (this.logged > this.limit + 1) return;
    if (this.logged === this.limit + 1) {
      const code: SourceEventCode = 'SOURCE_DROPS_SUPPRESSED';
      this.logger.warn({ code, limit: this.limit }, 'Further dropped lines are counted but not logged.');
      return;
    }
    const code: SourceEventCode = 'SOURCE_LINE_TOO_LONG';
    this.logger.warn(
      { code, reason: 'line-too-long', intentional: true, maxLineBytes: this.maxLineBytes, ...position },
      'Dropped a line longer than maxLineBytes.',
    );
  }
}

/** The message of an error, for logs (the field is always named `error`). */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
