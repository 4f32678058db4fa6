export {
  SightingAggregator,
  type AggregatorStats,
  type IndicatorInfo,
  type SightingSnapshot,
} from './aggregator.js';
export { sightingsConfigSchema, type SightingsConfig } from './config.js';
export { describeObservation, summarize } from './summary.js';
export { placeIdentity, stixTimestamp } from './sighting.js';
