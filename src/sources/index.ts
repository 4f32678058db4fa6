// The sources room's public face: re-exports only. kube-logs and audit-webhook export from their own folders.
export type { Source } from './source.js';
export type { SourceCounters, SourceDropReason } from './counters.js';
export { parseSourceConfig, SourceConfigError } from './context.js';
export type { SourceContext } from './context.js';
export { systemTimers } from './timers.js';
export type { TimerHandle, Timers } from './timers.js';
export { DEFAULT_MAX_LINE_BYTES, LineSplitter, splitLines } from './lines.js';
export type { LineSplitterOptions, OversizedLine, SplitLine, SplitResult } from './lines.js';
export { CheckpointError } from './checkpoints.js';
export {
  buildFilesSource,
  FilesSource,
  filesSourceConfigSchema,
  STDIN_NAME,
  STDIN_PATH,
} from './files/index.js';
export type { FileFailure, FilesSourceConfig, FilesSourceConfigInput } from './files/index.js';
export { buildStdinSource, stdinSourceConfigSchema } from './stdin.js';
export type { StdinSourceConfigInput } from './stdin.js';
export { buildTailSource, TailSource, tailSourceConfigSchema } from './tail/index.js';
export type { TailSourceConfig, TailSourceConfigInput } from './tail/index.js';
