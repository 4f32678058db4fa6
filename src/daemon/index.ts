// The daemon room's public face: re-exports only.
export { DaemonStartError, startDaemon, type Daemon, type DaemonContext } from './daemon.js';
export { LiveIndicators, type RefreshResult } from './indicators.js';
export { beforeDeadline, runShutdown, type ShutdownStep } from './shutdown.js';
export { buildDaemonSources, tailCheckpointFile, type DaemonSourceContext } from './sources.js';
export { DaemonMetrics } from './telemetry.js';
