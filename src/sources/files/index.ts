export { filesSourceConfigSchema, STDIN_PATH } from './config.js';
export type { FilesSourceConfig, FilesSourceConfigInput } from './config.js';
export { buildFilesSource } from './build.js';
export { FilesSource, STDIN_NAME } from './source.js';
export type { FileFailure } from './source.js';
export type { FilesEventCode } from './events.js';
