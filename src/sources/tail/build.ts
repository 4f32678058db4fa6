import { stat } from 'node:fs/promises';
import { CheckpointStore } from '../checkpoints.js';
import { parseSourceConfig, SourceConfigError, type SourceContext } from '../context.js';
import { describeError } from '../events.js';
import { systemTimers } from '../timers.js';
import { tailSourceConfigSchema, type TailSourceConfig } from './config.js';
import { TailSource } from './source.js';

/**
 * Checks the config, that the path is not a directory, and that the checkpoint file is readable,
 * valid and in a writable directory; then builds the source (which reads nothing until pulled).
 */
export async function buildTailSource(input: unknown, ctx: SourceContext): Promise<TailSource> {
  const config: TailSourceConfig = parseSourceConfig('tail', tailSourceConfigSchema, input);
  await checkNotDirectory(config.path);
  let checkpoints: CheckpointStore;
  try {
    checkpoints = await CheckpointStore.load(config.checkpointFile, config.id);
  } catch (error) {
    throw new SourceConfigError(`tail source ${config.id}: checkpointFile: ${describeError(error)}`);
  }
  const logger = ctx.logger.child({ component: 'source', id: config.id });
  return new TailSource(config, logger, checkpoints, ctx.timers ?? systemTimers);
}

async function checkNotDirectory(path: string): Promise<void> {
  const found = await stat(path).catch(() => undefined);
  if (found?.isDirectory() === true) throw new SourceConfigError(`tail source: path ${path} is a directory.`);
}
