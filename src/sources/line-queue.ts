import type { RawLine } from '../contracts.js';

/**
 * A bounded queue of lines between push-style inputs (HTTP streams, webhook requests) and the
 * pull-based `Source.batches()`. One consumer. Producers either wait for room (`whenWritable`),
 * which is how backpressure reaches a log stream, or are refused (`offer`), which becomes a 429.
 */
export class LineQueue {
  private readonly lines: RawLine[] = [];
  /** Index of the first unread line in `lines`; compacted when the consumer takes a batch. */
  private head = 0;
  private closed = false;
  private wakeConsumer: (() => void) | undefined;
  private readonly writableWaiters: (() => void)[] = [];

  constructor(
    /** Lines held before producers must wait or are refused. */
    readonly capacityLines: number,
    /** Most lines handed out in one batch. */
    private readonly maxBatchLines: number,
  ) {}

  get size(): number {
    return this.lines.length - this.head;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Adds lines whatever the fill level; a producer that honours backpressure awaits `whenWritable` next. */
  push(lines: readonly RawLine[]): void {
    if (this.closed || lines.length === 0) return;
    for (const line of lines) this.lines.push(line);
    this.wake();
  }

  /**
   * Adds all the lines, or none when they do not fit. An empty queue takes any batch, so a batch
   * larger than the capacity is not refused forever; memory stays bounded by capacity plus one batch.
   */
  offer(lines: readonly RawLine[]): boolean {
    if (this.closed) return false;
    if (this.size > 0 && this.size + lines.length > this.capacityLines) return false;
    this.push(lines);
    return true;
  }

  /** Resolves once the queue holds fewer lines than its capacity, or is closed. */
  whenWritable(): Promise<void> {
    if (this.closed || this.size < this.capacityLines) return Promise.resolve();
    return new Promise((resolve) => this.writableWaiters.push(resolve));
  }

  /** No more lines: `batches()` ends once the queued lines are read; waiting producers are released. */
  close(): void {
    this.closed = true;
    this.wake();
    this.releaseWriters();
  }

  async *batches(): AsyncGenerator<readonly RawLine[]> {
    for (;;) {
      if (this.size === 0) {
        if (this.closed) return;
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
        continue;
      }
      const end = Math.min(this.lines.length, this.head + this.maxBatchLines);
      const batch = this.lines.slice(this.head, end);
      this.head = end;
      if (this.head > 1024 && this.head * 2 > this.lines.length) {
        this.lines.splice(0, this.head);
        this.head = 0;
      }
      if (this.size < this.capacityLines) this.releaseWriters();
      yield batch;
    }
  }

  private wake(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = undefined;
    wake?.();
  }

  private releaseWriters(): void {
    for (const release of this.writableWaiters.splice(0)) release();
  }
}
