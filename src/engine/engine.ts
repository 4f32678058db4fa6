import type { Match, Observation } from '../contracts.js';
import { createObservationView, type ObservationView } from '../pattern/index.js';
import type { EngineConfig } from './config.js';
import { Correlator } from './correlator.js';
import { fastShapeOf, type Kept } from './fast-shapes.js';
import { asBundles, type ActiveIndicator } from './indicator.js';
import { indexKeys } from './index-keys.js';
import { LeafIndex, type IndexEntry } from './leaf-index.js';
import { indexWarnings, type IndexWarning } from './warnings.js';

export interface EngineStats {
  readonly indicators: number;
  readonly observations: number;
  /** Indicators an observation was relevant to (one of their `[ … ]` held), summed over observations. */
  readonly evaluations: number;
  /** Comparison expressions tested, summed over observations (what the index saves shows here). */
  readonly leafTests: number;
  readonly matches: number;
  /** Partial matches dropped because an indicator kept too many (`maxPartialPerIndicator`). */
  readonly evictions: number;
  /** Searches for participants cut at `maxBindingsPerMatch` or `maxSearchStepsPerOffer` (fewer, or no match). */
  readonly truncatedMatches: number;
  /** Observations kept for multi-observation indicators now. */
  readonly partial: number;
}

/** The partial-match state of one multi-observation indicator. */
export interface IndicatorPartialStats {
  readonly indicatorId: string;
  /** Observations kept now. */
  readonly partial: number;
  /** Observations dropped because the indicator kept `maxPartialPerIndicator` (since this engine was built). */
  readonly evictions: number;
  /** Milliseconds spent asking the batch oracle for bindings (since this engine was built). */
  readonly searchMs: number;
}

/**
 * The observations one multi-observation indicator keeps (a partial match), for the pipeline state file.
 * `pattern` ties them to the pattern they were kept for: restored only into an unchanged indicator.
 */
export interface PartialMatchSnapshot {
  readonly indicatorId: string;
  readonly pattern: string;
  /** The latest event time the indicator's correlator has seen (it decides what has expired). */
  readonly latestMs: number;
  readonly kept: readonly Kept[];
}

export interface EngineOptions {
  /** False: test every comparison expression against every observation (the reference for the index). */
  readonly indexed?: boolean;
}

/** One `[ … ]` of one indicator, as the index files it. */
interface Leaf {
  readonly slot: number;
  readonly test: (view: ObservationView) => boolean;
}

/**
 * Evaluates every active indicator against a stream of observations, in arrival order, in event time.
 * A single-observation pattern matches each observation that satisfies it; a multi-observation pattern
 * matches each time a new observation takes part in a binding of it (see Correlator, docs/engine.md).
 * Swap the indicator set with `withIndicators`, which keeps the partial matches of unchanged indicators.
 */
export class Engine {
  private readonly correlators = new Map<string, Correlator>();
  private readonly index: LeafIndex<Leaf>;
  private readonly leaves: readonly Leaf[];
  private readonly relevant: number[] = [];
  private readonly relevantMark: Uint32Array;
  private serial = 0;
  private observations = 0;
  private evaluations = 0;
  private leafTests = 0;
  private matches = 0;
  private truncatedMatches = 0;
  /** Patterns that cannot be indexed (they meet every observation of their object types); data for logs. */
  readonly warnings: readonly IndexWarning[];

  constructor(
    readonly indicators: readonly ActiveIndicator[],
    private readonly config: EngineConfig,
    private readonly options: EngineOptions = {},
  ) {
    this.relevantMark = new Uint32Array(indicators.length);
    const entries: IndexEntry<Leaf>[] = [];
    indicators.forEach((indicator, slot) => {
      indicator.shape.leaves.forEach((leaf, i) => {
        const compiled = indicator.leafCompiled[i];
        if (compiled === undefined || compiled.objectTypes.length === 0) return;
        entries.push({
          keys: indexKeys(leaf),
          objectTypes: compiled.objectTypes,
          payload: { slot, test: compiled.test },
        });
      });
      if (!indicator.shape.singleObservation) this.correlators.set(indicator.id, this.correlator(indicator));
    });
    this.leaves = entries.map((entry) => entry.payload);
    this.index = new LeafIndex(entries);
    this.warnings = indexWarnings(indicators);
  }

  /**
   * A new engine for another indicator set, ready to replace this one between two observations: indicators
   * whose id and pattern did not change keep their partial matches, so a refresh never loses a half-seen
   * attack. This engine must not be used afterwards (they share the kept observations).
   */
  withIndicators(next: readonly ActiveIndicator[]): Engine {
    const engine = new Engine(next, this.config, this.options);
    const previous = new Map(this.indicators.map((indicator) => [indicator.id, indicator.pattern]));
    for (const indicator of next) {
      const correlator = engine.correlators.get(indicator.id);
      const old = this.correlators.get(indicator.id);
      if (correlator === undefined || old === undefined) continue;
      if (previous.get(indicator.id) !== indicator.pattern) continue;
      correlator.restore(old.snapshot(), old.latest);
    }
    return engine;
  }

  /** The kept observations of every multi-observation indicator that has some (shared: serialize at once). */
  snapshot(): PartialMatchSnapshot[] {
    const patterns = new Map(this.indicators.map((indicator) => [indicator.id, indicator.pattern]));
    return [...this.correlators]
      .filter(([, correlator]) => correlator.size > 0)
      .map(([indicatorId, correlator]) => ({
        indicatorId,
        pattern: patterns.get(indicatorId) ?? '',
        latestMs: correlator.latest,
        kept: [...correlator.snapshot()],
      }));
  }

  /**
   * Puts back the partial matches of `snapshot()` (of an earlier process) before the first `process`,
   * without looking for matches: they were looked for when the observations first came. Those of an
   * indicator that is gone or whose pattern changed are dropped. Returns how many indicators took theirs.
   */
  restore(saved: readonly PartialMatchSnapshot[]): { restored: number; dropped: number } {
    const patterns = new Map(this.indicators.map((indicator) => [indicator.id, indicator.pattern]));
    let restored = 0;
    for (const partial of saved) {
      const correlator = this.correlators.get(partial.indicatorId);
      if (correlator === undefined || patterns.get(partial.indicatorId) !== partial.pattern) continue;
      correlator.restore(partial.kept, partial.latestMs);
      restored += 1;
    }
    return { restored, dropped: saved.length - restored };
  }

  process(observation: Observation): Match[] {
    this.observations += 1;
    const view = createObservationView(observation.observedData, observation.objects);
    const slots = this.relevantSlots(view);
    const matches: Match[] = [];
    for (const slot of slots) {
      const indicator = this.indicators[slot];
      if (indicator === undefined) continue;
      if (observation.time < indicator.validFromMs || observation.time >= indicator.validUntilMs) continue;
      this.evaluations += 1;
      const completed = this.complete(indicator, observation, view);
      if (completed === undefined) continue;
      this.matches += 1;
      matches.push({ indicatorId: indicator.id, observations: completed, time: observation.time });
    }
    return matches;
  }

  stats(): EngineStats {
    let evictions = 0;
    let partial = 0;
    for (const correlator of this.correlators.values()) {
      evictions += correlator.evictions;
      partial += correlator.size;
    }
    return {
      indicators: this.indicators.length,
      observations: this.observations,
      evaluations: this.evaluations,
      leafTests: this.leafTests,
      matches: this.matches,
      evictions,
      truncatedMatches: this.truncatedMatches,
      partial,
    };
  }

  /** `stats()`'s partial and evictions per multi-observation indicator, so a report can name the indicator. */
  partialByIndicator(): IndicatorPartialStats[] {
    return [...this.correlators].map(([indicatorId, correlator]) => ({
      indicatorId,
      partial: correlator.size,
      evictions: correlator.evictions,
      searchMs: correlator.searchMs,
    }));
  }

  /** The indicators (by position, ascending) one of whose `[ … ]` the observation satisfies. */
  private relevantSlots(view: ObservationView): number[] {
    const serial = ++this.serial;
    const relevant = this.relevant;
    relevant.length = 0;
    const consider = (leaf: Leaf): void => {
      if (this.relevantMark[leaf.slot] === serial) return;
      this.leafTests += 1;
      if (!leaf.test(view)) return;
      this.relevantMark[leaf.slot] = serial;
      relevant.push(leaf.slot);
    };
    if (this.options.indexed === false) for (const leaf of this.leaves) consider(leaf);
    else this.index.candidates(view, consider);
    return relevant.length > 1 ? relevant.sort((a, b) => a - b) : relevant;
  }

  private complete(
    indicator: ActiveIndicator,
    observation: Observation,
    view: ObservationView,
  ): readonly Observation[] | undefined {
    const correlator = this.correlators.get(indicator.id);
    if (correlator !== undefined) {
      const leaves = indicator.leafTests.reduce((mask, test, i) => (test(view) ? mask | (1 << i) : mask), 0);
      const { match, truncated } = correlator.offer(observation, leaves);
      if (truncated) this.truncatedMatches += 1;
      return match;
    }
    // A lone [ … ] is decided by its predicate; qualifiers (START/STOP) need the full evaluation.
    if (indicator.compiled.ast.kind === 'observation') return [observation];
    return indicator.compiled.match(asBundles([observation])) ? [observation] : undefined;
  }

  private correlator(indicator: ActiveIndicator): Correlator {
    const horizon = indicator.shape.horizonMs ?? this.config.defaultHorizonMs;
    const search = (observations: readonly Observation[], through: number): Iterable<ReadonlySet<number>> =>
      indicator.compiled.bindings(asBundles(observations), {
        through,
        maxSteps: this.config.maxSearchStepsPerOffer,
      });
    return new Correlator(
      search,
      horizon + this.config.outOfOrderToleranceMs,
      this.config.maxPartialPerIndicator,
      this.config.maxBindingsPerMatch,
      indicator.shape.leaves.length <= 30 ? fastShapeOf(indicator.compiled.ast) : undefined,
      indicator.shape.completable,
    );
  }
}
