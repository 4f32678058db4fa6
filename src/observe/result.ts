import type { Observation, Origin, Skip, SkipReason } from '../contracts.js';

/** What a sensor mapping returns for one event. */
export type SensorResult = Observation | Skip;

export function skip(reason: SkipReason, origin: Origin, detail: string): Skip {
  return { reason, detail, origin };
}

export function invalid(origin: Origin, detail: string): Skip {
  return { reason: 'invalid-event', detail, origin };
}

export function isSkip(result: Observation | Skip): result is Skip {
  return 'reason' in result;
}
