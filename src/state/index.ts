// The state room's public face: re-exports only. Crash-safe pipeline state (docs/configuration.md, "Restarts").
export { readFileIfExists, removeStaleTemporaries, writeFileAtomically } from './atomic-file.js';
export { type PipelineStateContent } from './codec.js';
export {
  MAX_POSITIONS_PER_SOURCE,
  ReflectedPositions,
  type FileOffset,
  type SourcePositions,
} from './positions.js';
export { PIPELINE_STATE_VERSION } from './schema.js';
export {
  PIPELINE_STATE_FILE,
  PipelineStateError,
  PipelineStateStore,
  pipelineStatePath,
  type PipelineStatePersistence,
} from './store.js';
