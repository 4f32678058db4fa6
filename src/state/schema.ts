/**
 * The pipeline state file (`<state-dir>/pipeline-state.json`), version 1: what the engine and the
 * sightings hold, and the source positions they reflect. Observations are stored once, in a table,
 * and referred to by index from the sightings and the partial matches that share them.
 */
import { z } from 'zod';
import type { Sensor } from '../contracts.js';

export const PIPELINE_STATE_VERSION = 1;

const index = z.number().int().nonnegative();
const stixObjectSchema = z.looseObject({ type: z.string().min(1), id: z.string().min(1) });

const contextSchema = z.strictObject({
  node: z.string().optional(),
  namespace: z.string().optional(),
  pod: z.string().optional(),
  container: z.string().optional(),
});

const originSchema = z.strictObject({
  source: z.string(),
  file: z.string().optional(),
  line: z.number().int().nonnegative().optional(),
  offset: z.number().int().nonnegative().optional(),
  fingerprint: z.string().optional(),
  pod: z.string().optional(),
  container: z.string().optional(),
});

const sensorSchema = z.enum([
  'tetragon',
  'k8s-audit',
  'falco',
  'kubescape',
  'stix',
]) satisfies z.ZodType<Sensor>;

/** An observation with its objects as a list (each keyed by its id once read back). */
const observationSchema = z.strictObject({
  observedData: stixObjectSchema,
  objects: z.array(stixObjectSchema),
  time: z.number(),
  context: contextSchema,
  sensor: sensorSchema,
  origin: originSchema,
});

const sightingSchema = z.strictObject({
  id: z.string().min(1),
  indicatorId: z.string().min(1),
  firstSeenMs: z.number(),
  lastSeenMs: z.number(),
  count: z.number().int().nonnegative(),
  observedDataRefs: z.array(z.string()),
  whereSighted: stixObjectSchema,
  indicator: z.strictObject({ id: z.string().min(1), name: z.string().optional() }),
  context: contextSchema,
  pending: z.array(index),
  latest: z.array(index),
  emittedCount: z.number().int().nonnegative(),
  closed: z.boolean(),
});

const partialMatchSchema = z.strictObject({
  indicatorId: z.string().min(1),
  pattern: z.string(),
  latestMs: z.number(),
  kept: z.array(z.strictObject({ observation: index, leaves: z.number().int().nonnegative() })),
});

const positionsSchema = z.strictObject({
  source: z.string(),
  files: z.array(z.strictObject({ fingerprint: z.string().min(1), offset: z.number().int().nonnegative() })),
});

export const pipelineStateFileSchema = z.strictObject({
  version: z.literal(PIPELINE_STATE_VERSION),
  savedAt: z.string(),
  /** The latest event time seen (windows close after it); null before any event. */
  watermarkMs: z.number().nullable(),
  positions: z.array(positionsSchema),
  observations: z.array(observationSchema),
  sightings: z.array(sightingSchema),
  partialMatches: z.array(partialMatchSchema),
});

export type PipelineStateFile = z.infer<typeof pipelineStateFileSchema>;
export type SerializedObservation = z.infer<typeof observationSchema>;
