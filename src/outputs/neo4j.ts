/**
 * Sightings into Neo4j (docs/graph-model.md, "Writing sightings"). `write()` resolves once the updates are
 * in Neo4j or, when Neo4j cannot take them, fsynced to the spill log in the state directory; a background
 * loop drains the spill into Neo4j once it is back, oldest first. Never blocks on an outage for longer
 * than the retries of one write, and never loses an acknowledged update.
 */
import type { Driver } from 'neo4j-driver';
import type { Logger } from 'pino';
import type { SightingUpdate } from '../contracts.js';
import type { Neo4jCredentials } from '../neo4j/credentials.js';
import {
  isUnavailableError,
  sightingWriteOf,
  sightingWriteSchema,
  supersede,
  writeSightingBatch,
  type SightingWrite,
} from '../neo4j/sightings.js';
import { SpillLog, type SpillSegment } from '../neo4j/spill.js';
import type { Output } from './output.js';

export interface Neo4jOutputOptions {
  readonly credentials: Neo4jCredentials;
  /** Directory of the spill log (`neo4j-spill-*.jsonl`) and of updates Neo4j refused (`neo4j-rejected-*`). */
  readonly stateDir: string;
  readonly logger: Logger;
  /** Sighting updates per transaction. Default 200. */
  readonly batchSize?: number;
  /** Tries of a write before its updates go to the spill log. Default 3. */
  readonly attempts?: number;
  /** First delay between tries, doubled each time up to `maxRetryDelayMs`. Default 200. */
  readonly initialRetryDelayMs?: number;
  /** Longest delay between tries, also between drain attempts during an outage. Default 30 000. */
  readonly maxRetryDelayMs?: number;
  /** Updates held in memory while being written; beyond this, a write goes straight to the spill log. Default 10 000. */
  readonly maxBufferedUpdates?: number;
}

export interface Neo4jOutputCounters {
  /** Updates held in memory now (writes in progress). */
  readonly buffered: number;
  /** Updates appended to the spill log since start. */
  readonly spilled: number;
  /** Updates written to Neo4j since start (directly or drained from the spill). */
  readonly written: number;
  /** Of `written`, the updates drained from the spill log. */
  readonly drained: number;
  /** Updates Neo4j refused as data (not an outage), set aside in `neo4j-rejected-*.jsonl`. */
  readonly failed: number;
  /** Tries repeated after an error. */
  readonly retries: number;
  /** Tries that failed (Neo4j unavailable), of a direct write or of a drain; the last try of a write, before it spills, included. */
  readonly failedAttempts: number;
  /** Updates in the spill log not yet drained. */
  readonly spillDepth: number;
  /** Bytes of the spill log's files not yet drained. */
  readonly spillBytes: number;
}

export interface Neo4jOutput extends Output {
  /** Updates held but not yet in Neo4j: in memory plus in the spill log (the daemon's buffer gauge). */
  bufferDepth(): number;
  counters(): Neo4jOutputCounters;
  /** Resolves once the spill log is empty (for tests and shutdown); rejects on close. */
  drained(): Promise<void>;
}

const defaults = {
  batchSize: 200,
  attempts: 3,
  initialRetryDelayMs: 200,
  maxRetryDelayMs: 30_000,
  maxBufferedUpdates: 10_000,
};

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Opens the spill log (an earlier run's spill is drained first) and returns the output. */
export async function neo4jOutput(driver: Driver, options: Neo4jOutputOptions): Promise<Neo4jOutput> {
  const spill = await SpillLog.open(options.stateDir, 'neo4j-spill');
  const rejected = await SpillLog.open(options.stateDir, 'neo4j-rejected');
  const output = new Neo4jSightingOutput(driver, { ...defaults, ...options }, spill, rejected);
  output.start();
  return output;
}

type Settings = typeof defaults & Neo4jOutputOptions;

class Neo4jSightingOutput implements Neo4jOutput {
  readonly name = 'neo4j';
  private inMemory = 0;
  private spilled = 0;
  private written = 0;
  private drainedUpdates = 0;
  private failed = 0;
  private retries = 0;
  private failedAttempts = 0;
  private drainDelayMs: number;
  private drainTimer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private unavailableSince: number | undefined;
  private closed = false;
  private waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(
    private readonly driver: Driver,
    private readonly settings: Settings,
    private readonly spill: SpillLog,
    private readonly rejected: SpillLog,
  ) {
    this.drainDelayMs = settings.initialRetryDelayMs;
  }

  start(): void {
    if (!this.spill.isEmpty()) {
      this.settings.logger.info(
        { code: 'NEO4J_SPILL_FOUND', updates: this.spill.depth },
        'Sightings spilled by an earlier run are written to Neo4j first.',
      );
      this.scheduleDrain(0);
    }
  }

  async write(updates: readonly SightingUpdate[]): Promise<void> {
    if (this.closed) throw new Error('The Neo4j output is closed.');
    if (updates.length === 0) return;
    const writes = updates.map(sightingWriteOf);
    // While anything is spilled, new updates queue behind it on disk, so the graph sees them in order.
    if (!this.spill.isEmpty() || this.inMemory + writes.length > this.settings.maxBufferedUpdates) {
      await this.toSpill(writes);
      return;
    }
    this.inMemory += writes.length;
    try {
      for (const batch of chunks(writes, this.settings.batchSize)) await this.writeDirect(batch);
    } finally {
      this.inMemory -= writes.length;
    }
  }

  bufferDepth(): number {
    return this.inMemory + this.spill.depth;
  }

  counters(): Neo4jOutputCounters {
    return {
      buffered: this.inMemory,
      spilled: this.spilled,
      written: this.written,
      drained: this.drainedUpdates,
      failed: this.failed,
      retries: this.retries,
      failedAttempts: this.failedAttempts,
      spillDepth: this.spill.depth,
      spillBytes: this.spill.bytes,
    };
  }

  drained(): Promise<void> {
    if (this.spill.isEmpty() && this.draining === undefined) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Stops the drain loop, whose timer keeps the process alive until then (one last attempt if anything is spilled); what is still spilled stays for the next start. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.drainTimer);
    await this.draining;
    if (!this.spill.isEmpty()) await this.drainOnce().catch(() => undefined);
    const empty = this.spill.isEmpty();
    await this.spill.close();
    await this.rejected.close();
    for (const waiter of this.waiters.splice(0)) {
      if (empty) waiter.resolve();
      else waiter.reject(new Error('The Neo4j output closed with sightings still spilled.'));
    }
  }

  /** Writes one batch, retrying with backoff; spills it when Neo4j stays unavailable. */
  private async writeDirect(batch: readonly SightingWrite[]): Promise<void> {
    let delay = this.settings.initialRetryDelayMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        this.written += batch.length - (await this.writeOrSetAside(batch));
        this.markAvailable();
        return;
      } catch (error) {
        this.failedAttempts += 1;
        if (attempt >= this.settings.attempts || !this.spill.isEmpty()) {
          this.markUnavailable(error);
          await this.toSpill(batch);
          return;
        }
        this.retries += 1;
        await sleep(delay);
        delay = Math.min(delay * 2, this.settings.maxRetryDelayMs);
      }
    }
  }

  /**
   * Writes a batch; an update Neo4j refuses as data (never going to work) is set aside, one by one, so
   * it cannot block the others. Returns how many were set aside; throws only when Neo4j is unavailable.
   */
  private async writeOrSetAside(batch: readonly SightingWrite[]): Promise<number> {
    try {
      await writeSightingBatch(this.driver, this.settings.credentials, batch);
      return 0;
    } catch (error) {
      if (isUnavailableError(error)) throw error;
      if (batch.length > 1) {
        let setAside = 0;
        for (const write of batch) setAside += await this.writeOrSetAside([write]);
        return setAside;
      }
      this.failed += batch.length;
      await this.rejected.append(batch);
      this.settings.logger.error(
        { code: 'NEO4J_WRITE_REJECTED', sighting: batch[0]?.sighting.id, error: describe(error) },
        'Neo4j refused a sighting update; it is kept in the state directory (neo4j-rejected-*.jsonl).',
      );
      return 1;
    }
  }

  private async toSpill(writes: readonly SightingWrite[]): Promise<void> {
    await this.spill.append(writes);
    this.spilled += writes.length;
    this.scheduleDrain(this.drainDelayMs);
  }

  private scheduleDrain(delayMs: number): void {
    if (this.closed || this.drainTimer !== undefined || this.draining !== undefined) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = undefined;
      this.draining = this.drainOnce()
        .then(() => {
          this.afterDrain(undefined);
        })
        .catch((error: unknown) => {
          this.afterDrain(error);
        });
    }, delayMs);
  }

  private afterDrain(error: unknown): void {
    this.draining = undefined;
    if (error === undefined) {
      this.markAvailable();
      this.drainDelayMs = this.settings.initialRetryDelayMs;
    } else {
      this.markUnavailable(error);
      this.failedAttempts += 1;
      this.retries += 1;
      this.drainDelayMs = Math.min(this.drainDelayMs * 2, this.settings.maxRetryDelayMs);
    }
    if (!this.spill.isEmpty()) {
      this.scheduleDrain(error === undefined ? 0 : this.drainDelayMs);
      return;
    }
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
  }

  /** Seals the active segment and writes every sealed one, oldest first, removing each once written. */
  private async drainOnce(): Promise<void> {
    await this.spill.seal();
    for (const segment of this.spill.sealedSegments()) {
      const writes = await this.readSegment(segment);
      let setAside = 0;
      for (const batch of chunks(supersede(writes), this.settings.batchSize)) {
        setAside += await this.writeOrSetAside(batch);
      }
      await this.spill.remove(segment);
      // Counted as the updates spilled, however many supersession merged.
      const drained = Math.max(0, writes.length - setAside);
      this.written += drained;
      this.drainedUpdates += drained;
    }
  }

  private async readSegment(segment: SpillSegment): Promise<SightingWrite[]> {
    const read = await this.spill.read(segment);
    const writes: SightingWrite[] = [];
    let invalid = read.damaged;
    for (const record of read.records) {
      const parsed = sightingWriteSchema.safeParse(record);
      if (parsed.success) writes.push(parsed.data);
      else invalid += 1;
    }
    if (read.torn || invalid > 0) {
      this.settings.logger.warn(
        { code: 'NEO4J_SPILL_DAMAGED', file: segment.path, torn: read.torn, damaged: invalid },
        'The spill file has records cut short or damaged; they are skipped.',
      );
    }
    return writes;
  }

  private markUnavailable(error: unknown): void {
    if (this.unavailableSince !== undefined) return;
    this.unavailableSince = Date.now();
    this.settings.logger.warn(
      { code: 'NEO4J_UNAVAILABLE', error: describe(error) },
      'Neo4j cannot be written; sightings go to the spill file until it is back.',
    );
  }

  private markAvailable(): void {
    if (this.unavailableSince === undefined) return;
    this.settings.logger.info(
      { code: 'NEO4J_AVAILABLE', outageMs: Date.now() - this.unavailableSince, written: this.written },
      'Neo4j is back; spilled sightings written.',
    );
    this.unavailableSince = undefined;
  }
}

/** Whether an output is the Neo4j output (the daemon mirrors its counters into /metrics). */
export function isNeo4jOutput(output: Output): output is Neo4jOutput {
  return output instanceof Neo4jSightingOutput;
}
