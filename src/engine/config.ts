import { z } from 'zod';

export const engineConfigSchema = z
  .object({
    defaultHorizonMs: z
      .number()
      .int()
      .positive()
      .default(3_600_000)
      .describe('How long a partial match of a multi-observation pattern without WITHIN is kept.'),
    maxPartialPerIndicator: z
      .number()
      .int()
      .positive()
      .default(1_000)
      .describe(
        'Observations kept per multi-observation indicator; beyond it the oldest is evicted (counted).',
      ),
    maxBindingsPerMatch: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe(
        'Bindings looked at to gather the observations of one multi-observation match; beyond it the match carries those found (counted).',
      ),
    maxSearchStepsPerOffer: z
      .number()
      .int()
      .positive()
      .default(200_000)
      .describe(
        'Steps (an observation tested, two bindings combined) one search for a multi-observation match may take; beyond it the match carries those found (counted).',
      ),
    outOfOrderToleranceMs: z
      .number()
      .int()
      .nonnegative()
      .default(5_000)
      .describe(
        'How late (in event time) an observation may arrive and still be correlated with later ones.',
      ),
  })
  .strict();

export type EngineConfig = z.infer<typeof engineConfigSchema>;

/** The defaults, for settings elsewhere (flags, chart) that pass some of them on. */
export const engineDefaults: EngineConfig = engineConfigSchema.parse({});
