import { z } from 'zod';
import { lineReadingOptions } from '../batch.js';

/** The marker among `paths` that stands for standard input. */
export const STDIN_PATH = '-';

export const filesSourceConfigSchema = z.strictObject({
  id: z.string().min(1).default('files').describe('Source id, in every line origin and log event.'),
  paths: z
    .array(z.string().min(1))
    .min(1)
    .describe('Files read to their end, one after another; "-" reads standard input; .gz is decompressed.'),
  ...lineReadingOptions,
});

export type FilesSourceConfigInput = z.input<typeof filesSourceConfigSchema>;
export type FilesSourceConfig = z.output<typeof filesSourceConfigSchema>;
