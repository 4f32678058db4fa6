import type { EventContext, Match, Observation, SightingUpdate, StixObject } from '../contracts.js';
import { deterministicId } from '../stix/ids.js';
import type { SightingsConfig } from './config.js';
import { placeIdentity, sightingObject, type SightingState } from './sighting.js';
import { summarize } from './summary.js';

export interface IndicatorInfo {
  readonly id: string;
  readonly name?: string;
}

interface OpenSighting {
  readonly state: SightingState;
  readonly indicator: IndicatorInfo;
  readonly context: EventContext;
  readonly refs: Set<string>;
  /** Observations added to observed_data_refs since the last update was emitted. */
  pending: Observation[];
  /** The observations of the latest match, for the summary. */
  latest: readonly Observation[];
  /** count at the last emitted update; 0 when never emitted. */
  emittedCount: number;
}

/**
 * One sighting as the aggregator holds it, for the pipeline state file: with it, `restore()` rebuilds a
 * sighting that later matches update exactly as if the process had never stopped.
 */
export interface SightingSnapshot {
  readonly id: string;
  readonly indicatorId: string;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  readonly count: number;
  readonly observedDataRefs: readonly string[];
  readonly whereSighted: StixObject;
  readonly indicator: IndicatorInfo;
  readonly context: EventContext;
  readonly pending: readonly Observation[];
  readonly latest: readonly Observation[];
  readonly emittedCount: number;
  /** Closed but not yet reported by `flush()`. */
  readonly closed: boolean;
}

export interface AggregatorStats {
  readonly open: number;
  readonly evicted: number;
  readonly updates: number;
}

function placeKey(context: EventContext): string {
  return [context.node ?? '', context.namespace ?? '', context.pod ?? ''].join('/');
}

/** Matches of one indicator at one place update one sighting (within the window). */
function sightingKey(indicatorId: string, context: EventContext): string {
  return `${indicatorId}\u0000${placeKey(context)}`;
}

/**
 * Turns matches into sightings: repeated matches of one indicator at one place (node, namespace, pod)
 * within the aggregation window update one sighting. `record()` plus `flush()`, in event time.
 */
export class SightingAggregator {
  private readonly open = new Map<string, OpenSighting>();
  private closed: OpenSighting[] = [];
  private evicted = 0;
  private updates = 0;

  /**
   * `reportOnOpen`: `record()` returns the update of a sighting it opens, so the daemon can show it at once;
   * without it (a scan), each sighting is reported by `flush()` only.
   */
  constructor(
    private readonly config: SightingsConfig,
    private readonly options: { readonly clusterName: string; readonly reportOnOpen: boolean },
  ) {}

  /**
   * Adds a match; with `reportOnOpen`, returns the update of a sighting this match opened. `watermarkMs`:
   * windows that ended at or before it (event time) are over, as `flush()` would close them; given, a
   * late match joins or misses a sighting by the order of events alone, never by when flushes ran (so a
   * restart, which flushes at other moments, decides the same).
   */
  record(match: Match, indicator: IndicatorInfo, watermarkMs?: number): SightingUpdate | undefined {
    const last = match.observations[match.observations.length - 1];
    const context = last?.context ?? {};
    const key = sightingKey(match.indicatorId, context);
    let entry = this.open.get(key);
    const ended = Math.max(match.time, watermarkMs ?? Number.NEGATIVE_INFINITY);
    if (entry !== undefined && ended >= entry.state.firstSeenMs + this.config.aggregationWindowMs) {
      this.close(key, entry);
      entry = undefined;
    }
    const isNew = entry === undefined;
    entry ??= this.openSighting(key, match, indicator, context);
    this.add(entry, match);
    return isNew && this.options.reportOnOpen ? this.emit(entry, true) : undefined;
  }

  /**
   * Updates for every sighting that changed since its last update. Sightings whose window ended at or
   * before `watermarkMs` (event time) are closed; `final` closes all. Open ones are included only when
   * `includeOpen` (the daemon's periodic flush); a scan reports each sighting once, when it closes.
   */
  flush(options: { watermarkMs?: number; final?: boolean; includeOpen?: boolean } = {}): SightingUpdate[] {
    for (const [key, entry] of this.open) {
      const ended =
        options.final === true ||
        (options.watermarkMs !== undefined &&
          options.watermarkMs >= entry.state.firstSeenMs + this.config.aggregationWindowMs);
      if (ended) this.close(key, entry);
    }
    const due = [...this.closed];
    this.closed = [];
    if (options.includeOpen === true) due.push(...this.open.values());
    return due
      .filter((entry) => entry.state.count !== entry.emittedCount)
      .sort((a, b) => a.state.firstSeenMs - b.state.firstSeenMs || (a.state.id < b.state.id ? -1 : 1))
      .map((entry) => this.emit(entry, false));
  }

  /**
   * Every sighting held (open ones oldest first, then closed ones not yet reported), sharing the
   * observations with the aggregator: serialize before the next `record()`.
   */
  snapshot(): SightingSnapshot[] {
    const describe = (entry: OpenSighting, closed: boolean): SightingSnapshot => ({
      ...entry.state,
      observedDataRefs: [...entry.state.observedDataRefs],
      indicator: entry.indicator,
      context: entry.context,
      pending: [...entry.pending],
      latest: entry.latest,
      emittedCount: entry.emittedCount,
      closed,
    });
    return [
      ...[...this.open.values()].map((entry) => describe(entry, false)),
      ...this.closed.map((entry) => describe(entry, true)),
    ];
  }

  /** Takes over the sightings of `snapshot()` (of an earlier process); only before the first `record()`. */
  restore(sightings: readonly SightingSnapshot[]): void {
    if (this.open.size > 0 || this.closed.length > 0) {
      throw new Error('SightingAggregator.restore: the aggregator already holds sightings.');
    }
    for (const saved of sightings) {
      const entry: OpenSighting = {
        state: {
          id: saved.id,
          indicatorId: saved.indicatorId,
          firstSeenMs: saved.firstSeenMs,
          lastSeenMs: saved.lastSeenMs,
          count: saved.count,
          observedDataRefs: [...saved.observedDataRefs],
          whereSighted: saved.whereSighted,
        },
        indicator: saved.indicator,
        context: saved.context,
        refs: new Set(saved.observedDataRefs),
        pending: [...saved.pending],
        latest: saved.latest,
        emittedCount: saved.emittedCount,
      };
      if (saved.closed) this.closed.push(entry);
      else this.open.set(sightingKey(saved.indicatorId, saved.context), entry);
    }
  }

  stats(): AggregatorStats {
    return { open: this.open.size, evicted: this.evicted, updates: this.updates };
  }

  private openSighting(
    key: string,
    match: Match,
    indicator: IndicatorInfo,
    context: EventContext,
  ): OpenSighting {
    if (this.open.size >= this.config.maxOpenSightings) this.evictOldest();
    const whereSighted: StixObject = placeIdentity(context, this.options.clusterName);
    const first = match.observations[0]?.observedData.id ?? '';
    const id = deterministicId('sighting', {
      sighting_of_ref: match.indicatorId,
      where: placeKey(context),
      first,
    });
    const state: SightingState = {
      id,
      indicatorId: match.indicatorId,
      firstSeenMs: match.time,
      lastSeenMs: match.time,
      count: 0,
      observedDataRefs: [],
      whereSighted,
    };
    const entry: OpenSighting = {
      state,
      indicator,
      context,
      refs: new Set(),
      pending: [],
      latest: [],
      emittedCount: 0,
    };
    this.open.set(key, entry);
    return entry;
  }

  private add(entry: OpenSighting, match: Match): void {
    const { state } = entry;
    state.count += 1;
    for (const observation of match.observations) {
      state.firstSeenMs = Math.min(state.firstSeenMs, observation.time);
      state.lastSeenMs = Math.max(state.lastSeenMs, observation.time);
      const id = observation.observedData.id;
      if (!entry.refs.has(id) && state.observedDataRefs.length < this.config.maxObservedDataRefs) {
        entry.refs.add(id);
        state.observedDataRefs.push(id);
        entry.pending.push(observation);
      }
    }
    entry.latest = match.observations;
  }

  private emit(entry: OpenSighting, isNew: boolean): SightingUpdate {
    const update: SightingUpdate = {
      sighting: sightingObject(entry.state),
      whereSighted: entry.state.whereSighted,
      indicator: entry.indicator,
      context: entry.context,
      newObservations: entry.pending,
      summary: summarize(entry.context, entry.latest),
      isNew: isNew || entry.emittedCount === 0,
    };
    entry.pending = [];
    entry.emittedCount = entry.state.count;
    this.updates += 1;
    return update;
  }

  private close(key: string, entry: OpenSighting): void {
    this.open.delete(key);
    this.closed.push(entry);
  }

  private evictOldest(): void {
    const oldest = this.open.entries().next();
    if (oldest.done === true) return;
    this.evicted += 1;
    this.close(oldest.value[0], oldest.value[1]);
  }
}
