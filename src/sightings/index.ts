export { SightingAggregator, type AggregatorStats, type IndicatorInfo } from './aggregator.js';
export { sightingsConfigSchema, type SightingsConfig } from './config.js';
export { describeObservation, summarize } from './summary.js';
export { placeIdentity, stixTimestamp } from './sighting.js';
