export { tailSourceConfigSchema } from './config.js';
export type { TailSourceConfig, TailSourceConfigInput } from './config.js';
export { buildTailSource } from './build.js';
export { TailSource } from './source.js';
export type { TailEventCode } from './events.js';
