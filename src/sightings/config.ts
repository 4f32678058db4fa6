import { z } from 'zod';

export const sightingsConfigSchema = z
  .object({
    aggregationWindowMs: z
      .number()
      .int()
      .positive()
      .default(300_000)
      .describe(
        'Matches of one indicator at one place within this long after the first update one sighting.',
      ),
    maxObservedDataRefs: z
      .number()
      .int()
      .positive()
      .max(10_000)
      .default(100)
      .describe('How many observed-data a sighting references at most; count goes on beyond it.'),
    maxOpenSightings: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe('Open sightings kept in memory; beyond it the oldest is closed early (counted).'),
  })
  .strict();

export type SightingsConfig = z.infer<typeof sightingsConfigSchema>;
