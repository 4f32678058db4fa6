import { parseSourceConfig, SourceConfigError, type SourceContext } from '../context.js';
import { filesSourceConfigSchema, STDIN_PATH } from './config.js';
import { FilesSource } from './source.js';

/** Checks the config (stdin is given when `-` is read, and read at most once) and builds the source. */
export function buildFilesSource(input: unknown, ctx: SourceContext): FilesSource {
  const config = parseSourceConfig('files', filesSourceConfigSchema, input);
  const stdinReads = config.paths.filter((path) => path === STDIN_PATH).length;
  if (stdinReads > 1)
    throw new SourceConfigError('files source: "-" (standard input) can be read only once.');
  if (stdinReads === 1 && ctx.stdin === undefined) {
    throw new SourceConfigError('files source: "-" was given but no standard input is available.');
  }
  const logger = ctx.logger.child({ component: 'source', id: config.id });
  return new FilesSource(config, logger, ctx.stdin);
}
