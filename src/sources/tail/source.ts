/**
 * The `tail` source: follows one file for the daemon, across rotation by rename (the old file is read to
 * its end, then the new one from its start) and by truncation (read again from 0). Files are known by
 * fingerprint; positions are checkpointed only when the pipeline commits them.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Origin, RawLine } from '../../contracts.js';
import { LineBatcher } from '../batch.js';
import type { CheckpointStore } from '../checkpoints.js';
import { createCounters, snapshotCounters, type SourceCounters } from '../counters.js';
import { describeError, DropReporter } from '../events.js';
import type { SplitResult } from '../lines.js';
import type { Source } from '../source.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { TailSourceConfig } from './config.js';
import * as events from './events.js';
import { isMissing, sameFile, type TailedFile } from './tailed-file.js';
import { openAtStart, type OpenPolicy } from './start.js';
import { Waker } from './waker.js';
import { backlogAfterRotation, backlogAtStartup } from './rotated.js';
import type { OpenedFile } from './events.js';

/** What one step of the loop produced: batches to hand on, or nothing until the file changes. */
type Step = RawLine[][] | 'idle';

export class TailSource implements Source {
  readonly id: string;
  private readonly counts: SourceCounters = createCounters();
  private readonly batcher: LineBatcher;
  private readonly waker: Waker;
  private current: TailedFile | undefined;
  /** Rotated files still to read to their end before the path, oldest first (already open). */
  private backlog: TailedFile[] = [];
  private policy: OpenPolicy = 'startup';
  /** The fingerprint of the file left at the last rotation or truncation. */
  private previousFingerprint: string | undefined;
  /** The file last read to its end after a rotation: rotated files newer than it are still to read. */
  private lastFinished: Pick<Stats, 'dev' | 'ino'> | undefined;
  /** Set when the path was seen to hold another file; the current one gets one more read to its end. */
  private rotationSeen = false;
  /** Set when time passed since the last read (idle at the end, or a batch handed on). */
  private mayHaveChanged = false;
  private stopped = false;
  private started = false;
  private waitingAnnounced = false;
  /** The last read problem, so that a lasting one is logged and counted once, not at every poll. */
  private lastProblem: string | undefined;
  private checkpointTimer: TimerHandle;

  constructor(
    private readonly config: TailSourceConfig,
    private readonly logger: Logger,
    private readonly checkpoints: CheckpointStore,
    private readonly timers: Timers,
  ) {
    this.id = config.id;
    this.batcher = new LineBatcher(config, this.counts, new DropReporter(logger, config.maxLineBytes));
    this.waker = new Waker(timers, config.pollIntervalMs);
  }

  async *batches(): AsyncGenerator<readonly RawLine[]> {
    if (this.started) throw new Error(`Source ${this.id}: batches() can be iterated only once.`);
    this.started = true;
    this.watchIfWanted();
    this.scheduleCheckpoint();
    try {
      while (!this.stopped) {
        const step = await this.step();
        if (step === 'idle') {
          await this.waker.wait();
        } else if (step.length > 0) {
          yield* step;
          // The consumer may have taken its time: the file may have been rewritten meanwhile.
          this.mayHaveChanged = true;
        }
      }
    } finally {
      await this.closeAll();
    }
  }

  /** Moves the checkpoint of the line's file to just past it. */
  commit(origin: Origin): void {
    if (origin.fingerprint === undefined || origin.offset === undefined) return;
    this.checkpoints.commit(origin.fingerprint, origin.offset, origin.line ?? 0, origin.file);
  }

  /** Stops reading and saves the committed positions; call again after later commits to save those. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waker.wake();
    this.waker.unwatch();
    this.timers.clearTimeout(this.checkpointTimer);
    await this.closeAll();
    try {
      await this.checkpoints.save();
    } catch (error) {
      events.checkpointSaveFailed(this.logger, this.checkpoints.path, error);
      throw error;
    }
  }

  counters(): SourceCounters {
    return snapshotCounters(this.counts);
  }

  private async step(): Promise<Step> {
    try {
      const step = await this.advance();
      this.lastProblem = undefined;
      return step;
    } catch (error) {
      if (this.stopped) return [];
      const problem = describeError(error);
      if (problem !== this.lastProblem) {
        this.counts.dropped.unreadable += 1;
        events.unreadable(this.logger, this.current?.path ?? this.config.path, error);
      }
      this.lastProblem = problem;
      return 'idle';
    }
  }

  private async advance(): Promise<Step> {
    const file = this.current;
    if (file === undefined) return this.openNext();
    if (this.mayHaveChanged) {
      // Rewritten in place while we waited or the consumer worked? Check before reading on.
      this.mayHaveChanged = false;
      if (await this.restartIfTruncated(file)) return [];
    }
    const results = await file.read();
    if (results !== undefined) return this.toBatches(results, file);
    return this.atEndOfFile(file);
  }

  private async openNext(): Promise<Step> {
    if (this.policy === 'startup') this.backlog = await backlogAtStartup(this.config, this.checkpoints);
    if (this.backlog.length === 0 && this.lastFinished !== undefined) {
      // Rotations may have passed while the new file was awaited; a backlog, once taken, is complete.
      this.backlog = await backlogAfterRotation(this.config, this.checkpoints, this.lastFinished);
    }
    const queued = this.backlog.shift();
    if (queued !== undefined) return this.follow(queued, 'checkpoint-or-beginning');
    const opening = await openAtStart(this.config, this.checkpoints, this.policy, this.previousFingerprint);
    if (opening.kind === 'missing' && this.policy === 'startup') {
      // Everything in a file that appears after start-up is new.
      this.policy = 'new';
    }
    if (opening.kind !== 'opened') {
      if (!this.waitingAnnounced) events.waiting(this.logger, this.config.path);
      this.waitingAnnounced = true;
      return 'idle';
    }
    if (this.lastFinished !== undefined) {
      // A rotation between the backlog check and this open would hide a file in path.1: check again.
      this.backlog = await backlogAfterRotation(this.config, this.checkpoints, this.lastFinished);
      if (this.backlog.length > 0) {
        await opening.file.close();
        return [];
      }
    }
    this.lastFinished = undefined;
    return this.follow(opening.file, opening.from);
  }

  /** Starts watching the file's directory; retried when a file opens, since the directory may be new. */
  private watchIfWanted(): void {
    if (!this.config.watchFiles || this.waker.watching || this.stopped) return;
    this.waker.watch([this.config.path], (directory, error) => {
      events.watchUnavailable(this.logger, directory, error);
    });
  }

  private follow(file: TailedFile, from: OpenedFile['from']): Step {
    this.watchIfWanted();
    this.current = file;
    this.policy = 'new';
    this.waitingAnnounced = false;
    events.opened(this.logger, {
      from,
      file: file.path,
      fingerprint: file.fingerprint,
      offset: file.position,
      line: file.line,
    });
    return [];
  }

  /** At the end of the file: was it rotated away, truncated, or has it simply no more data yet? */
  private async atEndOfFile(file: TailedFile): Promise<Step> {
    if (file.rotated) return this.rotateFrom(file);
    const atPath = await statIfExists(this.config.path);
    // Renamed away and not yet replaced, or deleted: keep what we have and wait.
    if (atPath === undefined) return 'idle';
    if (!sameFile(atPath, file.identity)) return this.rotateFrom(file);
    if (await this.restartIfTruncated(file)) return [];
    if ((await file.size()) > file.position) return [];
    this.mayHaveChanged = true;
    return 'idle';
  }

  /** If the file was truncated or rewritten, closes it so that it is opened again from its start. */
  private async restartIfTruncated(file: TailedFile): Promise<boolean> {
    const truncation = await file.wasTruncated();
    if (truncation === undefined) return false;
    events.truncated(this.logger, file.path, file.position, truncation.size);
    this.previousFingerprint = file.fingerprint;
    await this.closeCurrent();
    this.policy = 'truncated';
    return true;
  }

  private async rotateFrom(file: TailedFile): Promise<Step> {
    if (!this.rotationSeen) {
      // Lines may have landed in the old file since the last read: read it once more to its end.
      this.rotationSeen = true;
      events.rotated(this.logger, file.path, file.fingerprint, file.position);
      return [];
    }
    const last = this.toBatches(file.finish(), file);
    this.previousFingerprint = file.fingerprint;
    this.lastFinished = file.identity;
    await this.closeCurrent();
    return last;
  }

  private toBatches(results: readonly SplitResult[], file: TailedFile): RawLine[][] {
    return this.batcher.toBatches(results, {
      source: this.id,
      file: file.path,
      fingerprint: file.fingerprint,
    });
  }

  private async closeCurrent(): Promise<void> {
    const file = this.current;
    this.current = undefined;
    this.rotationSeen = false;
    // FileHandle.close waits for a read in flight, so stop() can close under the loop.
    await file?.close();
  }

  private async closeAll(): Promise<void> {
    const backlog = this.backlog;
    this.backlog = [];
    await Promise.all([this.closeCurrent(), ...backlog.map((file) => file.close())]);
  }

  private scheduleCheckpoint(): void {
    this.checkpointTimer = this.timers.setTimeout(() => {
      void this.saveCheckpoint().finally(() => {
        if (!this.stopped) this.scheduleCheckpoint();
      });
    }, this.config.checkpointIntervalMs);
  }

  private async saveCheckpoint(): Promise<void> {
    try {
      await this.checkpoints.save();
    } catch (error) {
      events.checkpointSaveFailed(this.logger, this.checkpoints.path, error);
    }
  }
}

async function statIfExists(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}
