import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import type { RawLine } from '../../contracts.js';
import { LineSplitter } from '../lines.js';
import type { SplitResult } from '../lines.js';
import { Backoff } from './backoff.js';
import type { Delay } from './backoff.js';
import type { ContainerRef, KubeLogsDropReason, KubeLogsEvents } from './events.js';
import { kubeGet } from './kube-http.js';
import type { LineQueue } from '../line-queue.js';
import { sinceTimeFor, splitTimestamp } from './timestamp.js';

export interface FollowTarget {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

export interface FollowerOptions {
  readonly kubeConfig: KubeConfig;
  readonly sourceId: string;
  readonly maxLineBytes: number;
  readonly resumeInitialMs: number;
  readonly resumeMaxMs: number;
  readonly delay: Delay;
  readonly events: KubeLogsEvents;
  readonly queue: LineQueue;
  /** Whether the container is running now, as the pod informer last saw it. */
  readonly isRunning: () => boolean;
  /** Start after this time (ns since the epoch) instead of at the log's beginning. */
  readonly startAfterNanos: bigint | undefined;
}

/**
 * Follows one container's log (`follow`, `timestamps`) for as long as its pod exists. A stream that
 * ends or breaks is reopened from the last timestamp emitted (`sinceTime`), and the overlap the server
 * sends again is dropped: lines before that timestamp, and as many lines at it as were emitted.
 */
export class ContainerFollower {
  readonly ref: ContainerRef;
  private readonly backoff: Backoff;
  private readonly stopping = new AbortController();
  private wakeWhenRunning: (() => void) | undefined;
  /** Timestamp of the newest line emitted (or the start cut-off), and how many lines carried it. */
  private lastNanos: bigint | undefined;
  private emittedAtLast = 0;
  private overlapReason: KubeLogsDropReason;
  private lineNumber = 0;
  private partialBytes = 0;

  constructor(
    private readonly target: FollowTarget,
    private readonly options: FollowerOptions,
  ) {
    this.ref = { pod: `${target.namespace}/${target.pod}`, container: target.container };
    this.backoff = new Backoff({ initialMs: options.resumeInitialMs, maxMs: options.resumeMaxMs });
    this.lastNanos = options.startAfterNanos;
    this.overlapReason = options.startAfterNanos === undefined ? 'overlap' : 'before-start';
  }

  /** The pod changed: a follower waiting for its container to run looks again. */
  podChanged(): void {
    const wake = this.wakeWhenRunning;
    this.wakeWhenRunning = undefined;
    wake?.();
  }

  stop(): void {
    this.stopping.abort();
    this.podChanged();
  }

  /** A method, so that TypeScript does not assume the flag is unchanged across awaits. */
  private isStopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Follows until stopped; never rejects. */
  async run(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      if (!this.options.isRunning()) {
        await new Promise<void>((resolve) => (this.wakeWhenRunning = resolve));
        continue;
      }
      let failure: unknown = new Error('The log stream ended.');
      try {
        await this.followOnce(signal);
      } catch (error) {
        failure = error;
      }
      if (this.isStopped()) break;
      // A container that stopped ended its stream normally: wait for it to run again.
      if (!this.options.isRunning()) continue;
      const delayMs = this.backoff.next();
      this.options.events.streamBroken(this.ref, failure, delayMs);
      await this.options.delay(delayMs, signal);
    }
    if (this.partialBytes > 0) this.options.events.lineDropped('partial-at-stop', this.ref);
  }

  /** One request: reads the stream to its end, emitting new lines; rejects when it breaks. */
  private async followOnce(signal: AbortSignal): Promise<void> {
    const sinceTime = this.lastNanos === undefined ? undefined : sinceTimeFor(this.lastNanos);
    const query: Record<string, string> = {
      container: this.target.container,
      follow: 'true',
      timestamps: 'true',
    };
    if (sinceTime !== undefined) query.sinceTime = sinceTime;
    const path = `/api/v1/namespaces/${encodeURIComponent(this.target.namespace)}/pods/${encodeURIComponent(this.target.pod)}/log`;
    const response = await kubeGet(this.options.kubeConfig, path, query, signal);
    this.options.events.streamOpened(this.ref, sinceTime);
    const reader = new OverlapFilter(this.lastNanos, this.emittedAtLast);
    const splitter = new LineSplitter({ maxLineBytes: this.options.maxLineBytes });
    try {
      await this.readStream(response, splitter, reader, signal);
      // A stream ending without a newline is cut, unless the container is done writing.
      if (!this.options.isRunning()) await this.emit(splitter.end(), reader, signal);
    } finally {
      this.partialBytes = splitter.partialBytes;
      response.destroy();
    }
  }

  private async readStream(
    response: IncomingMessage,
    splitter: LineSplitter,
    reader: OverlapFilter,
    signal: AbortSignal,
  ): Promise<void> {
    response.socket.setKeepAlive(true, 30_000);
    for await (const chunk of response as AsyncIterable<Buffer>) {
      await this.emit(splitter.push(chunk), reader, signal);
      if (signal.aborted) return;
    }
  }

  /** Emits the new lines of `results`, counts the rest, and waits while the queue is full. */
  private async emit(
    results: readonly SplitResult[],
    reader: OverlapFilter,
    signal: AbortSignal,
  ): Promise<void> {
    const lines: RawLine[] = [];
    let overlap = 0;
    let bytes = 0;
    for (const result of results) {
      bytes += result.bytes;
      if (result.kind === 'too-long') {
        this.options.events.lineDropped('line-too-long', this.ref);
        continue;
      }
      const stamped = splitTimestamp(result.text);
      if (stamped === undefined) {
        this.options.events.lineDropped('missing-timestamp', this.ref);
      } else if (reader.isOverlap(stamped.nanos)) {
        overlap += 1;
      } else {
        this.advance(stamped.nanos);
        this.lineNumber += 1;
        lines.push({ text: stamped.text, origin: this.origin() });
      }
    }
    this.options.events.bytesRead(bytes);
    if (overlap > 0) this.options.events.lineDropped(this.overlapReason, this.ref, overlap);
    if (lines.length === 0) return;
    this.backoff.reset();
    this.overlapReason = 'overlap';
    this.options.events.linesRead(lines.length);
    this.options.queue.push(lines);
    if (!signal.aborted) await this.options.queue.whenWritable();
  }

  private advance(nanos: bigint): void {
    if (this.lastNanos === undefined || nanos > this.lastNanos) {
      this.lastNanos = nanos;
      this.emittedAtLast = 1;
    } else if (nanos === this.lastNanos) {
      this.emittedAtLast += 1;
    }
  }

  private origin(): RawLine['origin'] {
    return {
      source: this.options.sourceId,
      pod: this.ref.pod,
      container: this.ref.container,
      line: this.lineNumber,
    };
  }
}

/**
 * Recognises the lines a resumed stream repeats: those before the last timestamp emitted, and the
 * first `emittedAtLast` lines at it. Once a newer line passes, nothing more is overlap.
 */
class OverlapFilter {
  private skipAtLast: number;
  private done: boolean;

  constructor(
    private readonly lastNanos: bigint | undefined,
    emittedAtLast: number,
  ) {
    this.skipAtLast = emittedAtLast;
    this.done = lastNanos === undefined;
  }

  isOverlap(nanos: bigint): boolean {
    if (this.done || this.lastNanos === undefined) return false;
    if (nanos < this.lastNanos) return true;
    if (nanos === this.lastNanos && this.skipAtLast > 0) {
      this.skipAtLast -= 1;
      return true;
    }
    this.done = true;
    return false;
  }
}
