import { z } from 'zod';

const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 timestamp');

/** The properties of a STIX 2.1 indicator that the matcher uses; others are kept as they are. */
export const indicatorSchema = z.looseObject({
  type: z.literal('indicator'),
  id: z.string().regex(/^indicator--\S+$/, "must be 'indicator--' followed by a UUID"),
  spec_version: z.string().optional(),
  name: z.string().optional(),
  pattern: z.string(),
  pattern_type: z.string(),
  pattern_version: z.string().optional(),
  valid_from: timestamp,
  valid_until: timestamp.optional(),
  revoked: z.boolean().optional(),
  modified: timestamp.optional(),
});

export type StixIndicator = z.infer<typeof indicatorSchema>;
