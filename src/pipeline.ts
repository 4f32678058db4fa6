import type { Logger } from 'pino';
import type { Match, Observation, Origin, RawLine, SightingUpdate, Skip, SkipReason } from './contracts.js';
import type { Engine } from './engine/index.js';
import { mergeSources, type SourceBatch } from './merge.js';
import type { Output } from './outputs/output.js';
import type { IndicatorInfo, SightingAggregator } from './sightings/index.js';
import type { Source } from './sources/source.js';
import type { PipelineStateContent, PipelineStatePersistence } from './state/index.js';

export interface Observer {
  /** Every event of a line: one for most lines, several for a STIX bundle or an audit EventList. */
  observeAll(line: RawLine): readonly (Observation | Skip)[];
}

export interface PipelineParts {
  readonly sources: readonly Source[];
  readonly observer: Observer;
  /** The engine in force; called per batch, so a new indicator set can be swapped in between batches. */
  readonly engine: () => Engine;
  readonly indicatorInfo: (indicatorId: string) => IndicatorInfo;
  readonly aggregator: SightingAggregator;
  readonly outputs: readonly Output[];
  readonly logger: Logger;
  /**
   * The daemon reports open sightings this often (wall clock); without it (a scan) each sighting is
   * reported once, when its window closes in event time or at the end.
   */
  readonly flushIntervalMs?: number;
  /** Windows close this long after the latest event time, so late events still join them. */
  readonly latenessMs: number;
  readonly now?: () => number;
  /** Told of every observation, skip, match and write, for metrics; never changes the flow. */
  readonly telemetry?: PipelineTelemetry;
  /**
   * Crash-safe state (the daemon): lines it already reflects are dropped as replays, it is saved after
   * each acknowledged flush before any source commits, and the last flush keeps sightings open in it.
   */
  readonly state?: PipelineStatePersistence;
}

/** What the pipeline reports as it goes (the daemon's metrics). Calls are synchronous and cheap. */
export interface PipelineTelemetry {
  observed(observation: Observation): void;
  skipped(skip: Skip): void;
  matched(match: Match): void;
  /** A line the restored state already holds, dropped (see `LINES_REPLAYED`). */
  replayed(origin: Origin): void;
  /** The pipeline state could not be saved (see `STATE_SAVE_FAILED`). */
  stateSaveFailed(): void;
}

export interface PipelineStats {
  lines: number;
  observations: number;
  skipped: Partial<Record<SkipReason, number>>;
  matches: number;
  sightingUpdates: number;
  /** Lines read again after a restart that the restored state already reflects: dropped, not observed. */
  replayed: number;
  /** Saves of the pipeline state that failed (sources did not commit those flushes). */
  stateSaveFailures: number;
}

/** How many skipped lines of each reason are logged one by one before only the counts remain. */
const SKIPS_LOGGED_PER_REASON = 5;

/** Lines dropped on purpose (an audit stage we do not read, a repeated audit event): counted, not warned of. */
const INTENTIONAL_SKIPS: ReadonlySet<SkipReason> = new Set(['irrelevant', 'duplicate']);

function isSkip(result: Observation | Skip): result is Skip {
  return 'reason' in result;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function where(origin: Origin): string {
  const file = origin.file ?? origin.pod ?? origin.source;
  return origin.line === undefined ? file : `${file}:${origin.line}`;
}

/**
 * sources → observe → engine → sightings → outputs, until the sources end or `signal` aborts. Source
 * positions are committed only after the sightings of every line up to them have been written.
 */
export async function runPipeline(parts: PipelineParts, signal?: AbortSignal): Promise<PipelineStats> {
  const stats: PipelineStats = {
    lines: 0,
    observations: 0,
    skipped: {},
    matches: 0,
    sightingUpdates: 0,
    replayed: 0,
    stateSaveFailures: 0,
  };
  const now = parts.now ?? Date.now;
  const uncommitted = new Map<Source, Origin>();
  const state = parts.state;
  let watermarkMs = state?.restored?.watermarkMs ?? Number.NEGATIVE_INFINITY;
  if (state?.restored !== undefined) restoreState(state.restored, parts);
  let lastFlush = now();
  /** Lines observed since the state was last saved. */
  let stateDirty = false;
  let replayedReported = 0;

  const write = async (updates: SightingUpdate[]): Promise<void> => {
    if (updates.length > 0) {
      stats.sightingUpdates += updates.length;
      await Promise.all(parts.outputs.map((output) => output.write(updates)));
    }
  };
  /** Saves the state if lines changed it; false when the save failed (then no source may commit). */
  const saveState = async (): Promise<boolean> => {
    if (state === undefined || !stateDirty) return true;
    try {
      await state.save({
        watermarkMs,
        positions: state.positions.snapshot(),
        sightings: parts.aggregator.snapshot(),
        partialMatches: parts.engine().snapshot(),
      });
      stateDirty = false;
      return true;
    } catch (error) {
      stats.stateSaveFailures += 1;
      parts.telemetry?.stateSaveFailed();
      parts.logger.error(
        { code: 'STATE_SAVE_FAILED', failures: stats.stateSaveFailures, error: describe(error) },
        'Could not save the pipeline state; source positions stay where they were until a save succeeds.',
      );
      return false;
    }
  };
  const reportReplayed = (): void => {
    if (stats.replayed === replayedReported) return;
    parts.logger.info(
      { code: 'LINES_REPLAYED', lines: stats.replayed - replayedReported, total: stats.replayed },
      'Dropped lines read again that the restored state already holds.',
    );
    replayedReported = stats.replayed;
  };
  const flushAndCommit = async (final: boolean): Promise<void> => {
    const includeOpen = parts.flushIntervalMs !== undefined;
    const updates = parts.aggregator.flush({
      watermarkMs: watermarkMs - parts.latenessMs,
      // With saved state, open sightings outlive the process: a restart goes on counting them.
      final: final && state === undefined,
      includeOpen,
    });
    await write(updates);
    reportReplayed();
    // The state first: a source position may never run ahead of the state that reflects its lines.
    if (await saveState()) {
      for (const [source, origin] of uncommitted) source.commit(origin);
      uncommitted.clear();
    }
    lastFlush = now();
  };
  const reportSkip = (skip: Skip): void => {
    parts.telemetry?.skipped(skip);
    const count = (stats.skipped[skip.reason] ?? 0) + 1;
    stats.skipped[skip.reason] = count;
    if (INTENTIONAL_SKIPS.has(skip.reason)) return;
    if (count <= SKIPS_LOGGED_PER_REASON) {
      parts.logger.warn(
        { reason: skip.reason, at: where(skip.origin), detail: skip.detail },
        'Skipped a line.',
      );
    } else if (count === SKIPS_LOGGED_PER_REASON + 1) {
      parts.logger.warn(
        { reason: skip.reason },
        'More lines skipped for this reason; only counting them now.',
      );
    }
  };

  const processBatch = async ({ source, lines }: SourceBatch): Promise<void> => {
    const engine = parts.engine();
    const opened: SightingUpdate[] = [];
    const match = (observation: Observation): void => {
      stats.observations += 1;
      parts.telemetry?.observed(observation);
      watermarkMs = Math.max(watermarkMs, observation.time);
      for (const found of engine.process(observation)) {
        stats.matches += 1;
        parts.telemetry?.matched(found);
        const info = parts.indicatorInfo(found.indicatorId);
        const update = parts.aggregator.record(found, info, watermarkMs - parts.latenessMs);
        if (update !== undefined) opened.push(update);
      }
    };
    for (const line of lines) {
      stats.lines += 1;
      if (state?.positions.isReplay(line.origin) === true) {
        stats.replayed += 1;
        parts.telemetry?.replayed(line.origin);
        continue;
      }
      for (const result of parts.observer.observeAll(line)) {
        if (isSkip(result)) reportSkip(result);
        else match(result);
      }
      if (state !== undefined) {
        state.positions.advance(line.origin);
        stateDirty = true;
      }
    }
    await write(opened);
    const last = lines[lines.length - 1];
    if (last !== undefined) uncommitted.set(source, last.origin);
    const periodic = parts.flushIntervalMs !== undefined && now() - lastFlush >= parts.flushIntervalMs;
    if (periodic || parts.flushIntervalMs === undefined) await flushAndCommit(false);
  };

  const batches = mergeSources(parts.sources);
  for (;;) {
    const next = await nextOrTick(batches, parts.flushIntervalMs, flushAndCommit);
    if (next.done === true) break;
    await processBatch(next.value);
    if (signal?.aborted === true) {
      await batches.return(undefined);
      break;
    }
  }
  await flushAndCommit(true);
  return stats;
}

/** Puts the sightings and partial matches of an earlier process back, before the first line. */
function restoreState(restored: PipelineStateContent, parts: PipelineParts): void {
  parts.aggregator.restore(restored.sightings);
  const partial = parts.engine().restore(restored.partialMatches);
  parts.logger.info(
    {
      code: 'STATE_RESTORED',
      sightings: restored.sightings.length,
      partialMatches: partial.restored,
      // Indicators gone or changed since: their half-seen matches cannot complete any more.
      partialMatchesDropped: partial.dropped,
      sources: restored.positions.length,
    },
    'Restored the sightings and partial matches of the previous run.',
  );
}

/**
 * The next batch; with a flush interval, open sightings are flushed and positions committed at every
 * tick while no batch comes, so an idle source still gets its sightings out and its checkpoints saved.
 * The flush runs between batches, never during one.
 */
async function nextOrTick(
  batches: AsyncGenerator<SourceBatch>,
  flushIntervalMs: number | undefined,
  flush: (final: boolean) => Promise<void>,
): Promise<IteratorResult<SourceBatch>> {
  const next = batches.next();
  if (flushIntervalMs === undefined) return next;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const tick = new Promise<'tick'>((resolve) => {
      timer = setTimeout(() => {
        resolve('tick');
      }, flushIntervalMs);
    });
    const first = await Promise.race([next, tick]);
    clearTimeout(timer);
    if (first !== 'tick') return first;
    await flush(false);
  }
}
