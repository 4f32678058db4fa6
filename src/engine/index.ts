/**
 * The streaming engine: an indicator set compiled as a whole and indexed, evaluated against observations in
 * arrival order, in event time (docs/engine.md).
 *
 * - `new Engine(indicators, config)`; `engine.process(observation)` returns the matches it completes;
 *   `engine.stats()` counts observations, matches, evictions, truncated matches and kept partial matches.
 * - Swapping the indicator set while events flow: `const next = engine.withIndicators(active)` between two
 *   `process` calls, then use `next` only. Indicators whose id and pattern are unchanged keep their partial
 *   matches (a refresh never loses a half-seen attack); the old engine must not be used afterwards.
 * - `engine.warnings`: patterns the index cannot file by value, or that can never match, as data.
 * - Across a restart: `engine.snapshot()` lists the kept observations of multi-observation indicators;
 *   `engine.restore(saved)` on a new engine puts back those whose indicator kept its pattern (src/state/).
 */
export { engineConfigSchema, engineDefaults, type EngineConfig } from './config.js';
export {
  Engine,
  type EngineOptions,
  type EngineStats,
  type IndicatorPartialStats,
  type PartialMatchSnapshot,
} from './engine.js';
export type { Kept } from './fast-shapes.js';
export {
  activateIndicator,
  type ActiveIndicator,
  type IndicatorRejection,
  type IndicatorSource,
} from './indicator.js';
export { patternShape, type PatternShape } from './pattern-shape.js';
export { indexWarnings, type IndexWarning, type IndexWarningCode } from './warnings.js';
