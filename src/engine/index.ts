export { engineConfigSchema, type EngineConfig } from './config.js';
export { Engine, type EngineStats } from './engine.js';
export {
  activateIndicator,
  type ActiveIndicator,
  type IndicatorRejection,
  type IndicatorSource,
} from './indicator.js';
export { patternShape, type PatternShape } from './pattern-shape.js';
