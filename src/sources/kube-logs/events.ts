import type { Logger } from 'pino';
import type { SourceCounters } from '../counters.js';
import { describeError } from '../events.js';

/**
 * Every log line and counter of the kube-logs source, with fixed codes. Per-line events are counted,
 * and logged only the first time per reason, so a noisy stream cannot flood the process log.
 */

/** Why a log line did not become a `RawLine`. `intentional` drops are expected and lose nothing. */
export type KubeLogsDropReason =
  'overlap' | 'before-start' | 'line-too-long' | 'missing-timestamp' | 'partial-at-stop';

const INTENTIONAL: Readonly<Record<KubeLogsDropReason, boolean>> = {
  overlap: true,
  'before-start': true,
  'line-too-long': false,
  'missing-timestamp': false,
  'partial-at-stop': false,
};

export interface KubeLogsCounters {
  linesRead: number;
  /** Bytes of log lines received, terminators, repeated and dropped lines included. */
  bytesRead: number;
  linesDropped: Record<KubeLogsDropReason, number>;
  streamsOpened: number;
  streamsBroken: number;
  informerRestarts: number;
  watchLinesUnparsable: number;
  podsInvalid: number;
}

export interface ContainerRef {
  /** `namespace/name` */
  readonly pod: string;
  readonly container: string;
}

export class KubeLogsEvents {
  private readonly counters: KubeLogsCounters = {
    linesRead: 0,
    bytesRead: 0,
    linesDropped: {
      overlap: 0,
      'before-start': 0,
      'line-too-long': 0,
      'missing-timestamp': 0,
      'partial-at-stop': 0,
    },
    streamsOpened: 0,
    streamsBroken: 0,
    informerRestarts: 0,
    watchLinesUnparsable: 0,
    podsInvalid: 0,
  };
  private readonly loggedDrops = new Set<KubeLogsDropReason>();

  constructor(private readonly logger: Logger) {}

  /** A copy of the counters, for /metrics and tests. */
  snapshot(): KubeLogsCounters {
    return { ...this.counters, linesDropped: { ...this.counters.linesDropped } };
  }

  /** The counters every source reports; drops that lose nothing (overlap, before-start) are not in them. */
  sourceCounters(): SourceCounters {
    const dropped = this.counters.linesDropped;
    return {
      linesRead: this.counters.linesRead,
      bytesRead: this.counters.bytesRead,
      dropped: {
        'line-too-long': dropped['line-too-long'],
        unreadable: dropped['missing-timestamp'] + dropped['partial-at-stop'],
      },
    };
  }

  linesRead(count: number): void {
    this.counters.linesRead += count;
  }

  bytesRead(count: number): void {
    this.counters.bytesRead += count;
  }

  lineDropped(reason: KubeLogsDropReason, ref: ContainerRef, count = 1): void {
    this.counters.linesDropped[reason] += count;
    if (INTENTIONAL[reason] || this.loggedDrops.has(reason)) return;
    this.loggedDrops.add(reason);
    this.logger.warn(
      { code: 'KUBE_LOGS_LINE_DROPPED', reason, intentional: false, ...ref },
      'Dropped a container log line; later drops for this reason are only counted.',
    );
  }

  streamOpened(ref: ContainerRef, sinceTime: string | undefined): void {
    this.counters.streamsOpened += 1;
    this.logger.debug({ code: 'KUBE_LOGS_STREAM_OPENED', ...ref, sinceTime }, 'Following a container log.');
  }

  streamBroken(ref: ContainerRef, error: unknown, retryInMs: number): void {
    this.counters.streamsBroken += 1;
    this.logger.info(
      { code: 'KUBE_LOGS_STREAM_BROKEN', ...ref, error: describeError(error), retryInMs },
      'A container log stream ended early; resuming from the last timestamp read.',
    );
  }

  followStopped(ref: ContainerRef): void {
    this.logger.info({ code: 'KUBE_LOGS_FOLLOW_STOPPED', ...ref }, 'Stopped following a container log.');
  }

  informerError(error: unknown, retryInMs: number): void {
    this.counters.informerRestarts += 1;
    this.logger.warn(
      { code: 'KUBE_LOGS_INFORMER_ERROR', error: describeError(error), retryInMs },
      'The pod informer failed; restarting it.',
    );
  }

  watchLineUnparsable(error: unknown): void {
    this.counters.watchLinesUnparsable += 1;
    if (this.counters.watchLinesUnparsable > 1) return;
    this.logger.warn(
      { code: 'KUBE_LOGS_WATCH_LINE_UNPARSABLE', error: describeError(error) },
      'Skipped a pod watch event that is not JSON; later ones are only counted.',
    );
  }

  podInvalid(error: unknown): void {
    this.counters.podsInvalid += 1;
    this.logger.warn(
      { code: 'KUBE_LOGS_POD_INVALID', error: describeError(error) },
      'Ignored a pod the source cannot read.',
    );
  }
}
