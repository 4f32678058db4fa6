/**
 * The engine's counts as the daemon reports them: summed across the engines a refresh swaps in, and the
 * warnings per indicator (partial matches evicted, time spent searching for correlations).
 */
import type { Logger } from 'pino';
import type { Engine } from '../engine/index.js';

export interface EngineCounts {
  evaluations: number;
  leafTests: number;
  truncatedMatches: number;
}

/** What one multi-observation indicator cost since start, summed across engines. */
export interface IndicatorWork {
  evictions: number;
  /** Milliseconds its correlator spent asking the batch oracle for bindings. */
  searchMs: number;
}

/**
 * The counts of every engine the pipeline was handed, summed: a refresh swaps in a new engine whose own
 * counts start at zero, and the metrics must not go back. The pipeline asks for the engine once per batch
 * and never offers an observation to the one it had before, so an engine's counts are final once another
 * is handed out; an engine built and replaced between two batches processed nothing.
 */
export class EngineTally {
  private inUse: Engine | undefined;
  private readonly retired: EngineCounts = { evaluations: 0, leafTests: 0, truncatedMatches: 0 };
  private readonly retiredWork = new Map<string, IndicatorWork>();

  /** Notes the engine handed to the pipeline, retiring the one it replaces. */
  use(engine: Engine): void {
    if (engine === this.inUse) return;
    if (this.inUse !== undefined) {
      const stats = this.inUse.stats();
      this.retired.evaluations += stats.evaluations;
      this.retired.leafTests += stats.leafTests;
      this.retired.truncatedMatches += stats.truncatedMatches;
      addWork(this.retiredWork, this.inUse);
    }
    this.inUse = engine;
  }

  counts(): EngineCounts {
    const stats = this.inUse?.stats();
    return {
      evaluations: this.retired.evaluations + (stats?.evaluations ?? 0),
      leafTests: this.retired.leafTests + (stats?.leafTests ?? 0),
      truncatedMatches: this.retired.truncatedMatches + (stats?.truncatedMatches ?? 0),
    };
  }

  /** Work since start, per indicator that ever had any (or is multi-observation in the engine in use). */
  workByIndicator(): Map<string, IndicatorWork> {
    const total = new Map([...this.retiredWork].map(([id, work]) => [id, { ...work }]));
    if (this.inUse !== undefined) addWork(total, this.inUse);
    return total;
  }
}

function addWork(into: Map<string, IndicatorWork>, engine: Engine): void {
  for (const { indicatorId, evictions, searchMs } of engine.partialByIndicator()) {
    const work = into.get(indicatorId) ?? { evictions: 0, searchMs: 0 };
    work.evictions += evictions;
    work.searchMs += searchMs;
    into.set(indicatorId, work);
  }
}

/** Warns of partial matches evicted, once per indicator per interval, with how many since its last warning. */
export class EvictionReports {
  private readonly reported = new Map<string, { atMs: number; evictions: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  report(work: ReadonlyMap<string, IndicatorWork>, nameOf: (id: string) => string | undefined): void {
    const now = this.now();
    for (const [id, { evictions: total }] of work) {
      const last = this.reported.get(id);
      const since = total - (last?.evictions ?? 0);
      if (since <= 0 || (last !== undefined && now - last.atMs < this.intervalMs)) continue;
      this.reported.set(id, { atMs: now, evictions: total });
      this.logger.warn(
        { code: 'ENGINE_PARTIAL_EVICTED', indicator: id, name: nameOf(id), evicted: since, total },
        'Partial matches of an indicator were evicted (maxPartialPerIndicator reached); correlations that needed them can be missed.',
      );
    }
  }
}

/**
 * Warns of an indicator whose correlation searches took at least `share` of the daemon's time over an
 * interval: a pattern whose every step holds for most events makes each of them search many bindings, and
 * the pipeline slows down for all. Looked at per interval and indicator; one warning per interval at most.
 */
export class SlowSearchReports {
  private readonly windows = new Map<string, { fromMs: number; searchMs: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly share: number,
    private readonly now: () => number,
  ) {}

  report(work: ReadonlyMap<string, IndicatorWork>, nameOf: (id: string) => string | undefined): void {
    const now = this.now();
    for (const [id, { searchMs: total }] of work) {
      const window = this.windows.get(id);
      if (window === undefined) {
        // First sight: the window starts now, so time spent before it is not charged to it.
        this.windows.set(id, { fromMs: now, searchMs: total });
        continue;
      }
      const elapsedMs = now - window.fromMs;
      if (elapsedMs < this.intervalMs) continue;
      this.windows.set(id, { fromMs: now, searchMs: total });
      const searchedMs = total - window.searchMs;
      if (searchedMs < this.share * elapsedMs) continue;
      this.logger.warn(
        {
          code: 'ENGINE_INDICATOR_SLOW',
          indicator: id,
          name: nameOf(id),
          searchedMs: Math.round(searchedMs),
          overMs: elapsedMs,
          totalSearchMs: Math.round(total),
        },
        'An indicator spends much of the time searching for correlations (its steps hold for many events); the pipeline slows down for all. Narrow its pattern.',
      );
    }
  }
}
