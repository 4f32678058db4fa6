/** The pipeline state through its file format and back, as a restart reads it. */
import { decodeState, encodeState, type PipelineStateContent } from '../../src/state/codec.js';
import { pipelineStateFileSchema } from '../../src/state/schema.js';

export function throughStateFile(content: Partial<PipelineStateContent>): PipelineStateContent {
  const full: PipelineStateContent = {
    watermarkMs: Number.NEGATIVE_INFINITY,
    positions: [],
    sightings: [],
    partialMatches: [],
    ...content,
  };
  const text = JSON.stringify(encodeState(full, new Date()));
  return decodeState(pipelineStateFileSchema.parse(JSON.parse(text)));
}
