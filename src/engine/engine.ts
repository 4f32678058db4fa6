import type { Match, Observation } from '../contracts.js';
import { createObservationView, type ObservationView } from '../pattern/index.js';
import type { EngineConfig } from './config.js';
import { Correlator } from './correlator.js';
import { asBundles, type ActiveIndicator } from './indicator.js';

export interface EngineStats {
  readonly indicators: number;
  readonly observations: number;
  readonly evaluations: number;
  readonly matches: number;
  /** Partial matches dropped because an indicator kept too many (`maxPartialPerIndicator`). */
  readonly evictions: number;
  readonly partial: number;
}

/**
 * Evaluates every active indicator against a stream of observations, in arrival order, in event time.
 * A single-observation pattern matches each observation that satisfies it; a multi-observation pattern
 * matches each time a new observation completes it (a match consumes the observations it used).
 */
export class Engine {
  private readonly correlators = new Map<string, Correlator>();
  private observations = 0;
  private evaluations = 0;
  private matches = 0;

  constructor(
    readonly indicators: readonly ActiveIndicator[],
    private readonly config: EngineConfig,
  ) {
    for (const indicator of indicators) {
      if (indicator.shape.singleObservation) continue;
      const horizon = indicator.shape.horizonMs ?? config.defaultHorizonMs;
      const evaluate = (observations: readonly Observation[]): boolean =>
        indicator.compiled.match(asBundles(observations));
      this.correlators.set(
        indicator.id,
        new Correlator(evaluate, horizon + config.outOfOrderToleranceMs, config.maxPartialPerIndicator),
      );
    }
  }

  process(observation: Observation): Match[] {
    this.observations += 1;
    const view = createObservationView(observation.observedData, observation.objects);
    const matches: Match[] = [];
    for (const indicator of this.indicators) {
      if (observation.time < indicator.validFromMs || observation.time >= indicator.validUntilMs) continue;
      const completed = this.evaluate(indicator, observation, view);
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
      matches: this.matches,
      evictions,
      partial,
    };
  }

  private evaluate(
    indicator: ActiveIndicator,
    observation: Observation,
    view: ObservationView,
  ): readonly Observation[] | undefined {
    if (!indicator.leafTests.some((test) => test(view))) return undefined;
    this.evaluations += 1;
    const correlator = this.correlators.get(indicator.id);
    if (correlator !== undefined) return correlator.offer(observation);
    // A lone [ … ] is decided by its predicate; qualifiers (START/STOP) need the full evaluation.
    if (indicator.compiled.ast.kind === 'observation') return [observation];
    return indicator.compiled.match(asBundles([observation])) ? [observation] : undefined;
  }
}
