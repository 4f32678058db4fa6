/** The `stdin` source: standard input as lines, until it ends or the source is stopped. */
import { z } from 'zod';
import { lineReadingOptions } from './batch.js';
import { parseSourceConfig, SourceConfigError, type SourceContext } from './context.js';
import { STDIN_PATH } from './files/config.js';
import { FilesSource } from './files/source.js';

export const stdinSourceConfigSchema = z.strictObject({
  id: z.string().min(1).default('stdin').describe('Source id, in every line origin and log event.'),
  ...lineReadingOptions,
});

export type StdinSourceConfigInput = z.input<typeof stdinSourceConfigSchema>;

/** Standard input is a files source over `-` alone: one reader, one set of counters and events. */
export function buildStdinSource(input: unknown, ctx: SourceContext): FilesSource {
  const config = parseSourceConfig('stdin', stdinSourceConfigSchema, input);
  if (ctx.stdin === undefined) throw new SourceConfigError('stdin source: no standard input is available.');
  const logger = ctx.logger.child({ component: 'source', id: config.id });
  return new FilesSource({ ...config, paths: [STDIN_PATH] }, logger, ctx.stdin);
}
