import { z } from 'zod';
import { lineReadingOptions } from '../batch.js';

export const tailSourceConfigSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .default('tail')
    .describe('Source id, in every line origin, log event and checkpoint.'),
  path: z.string().min(1).describe('The file to follow; it may not exist yet.'),
  rotatedFiles: z
    .number()
    .int()
    .min(0)
    .default(5)
    .describe(
      'How many rotated files (path.1 … path.N) to read unread data from after a rotation or at start-up.',
    ),
  startAt: z
    .enum(['beginning', 'end'])
    .default('end')
    .describe(
      'Where to start in a file found at start-up that no checkpoint knows; files appearing later are read from the beginning.',
    ),
  checkpointFile: z.string().min(1).describe('JSON file where committed positions are saved.'),
  checkpointIntervalMs: z
    .number()
    .int()
    .positive()
    .default(5000)
    .describe('How often committed positions are saved (also on stop).'),
  pollIntervalMs: z
    .number()
    .int()
    .positive()
    .default(1000)
    .describe(
      'How often the file is checked for new data, rotation and truncation when no watch event came.',
    ),
  watchFiles: z
    .boolean()
    .default(true)
    .describe('Also wake up on file system events (fs.watch) instead of only polling.'),
  fingerprintBytes: z
    .number()
    .int()
    .min(16)
    .default(1024)
    .describe(
      'A file is identified by a checksum of its first line, or of this many first bytes if shorter.',
    ),
  ...lineReadingOptions,
});

export type TailSourceConfigInput = z.input<typeof tailSourceConfigSchema>;
export type TailSourceConfig = z.output<typeof tailSourceConfigSchema>;
