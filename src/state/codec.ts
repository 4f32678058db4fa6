/**
 * The pipeline state in memory ⇄ the state file's JSON. Observations shared by sightings and partial
 * matches are written once and come back as one object, as they were.
 */
import type { Observation, StixObject } from '../contracts.js';
import type { PartialMatchSnapshot } from '../engine/index.js';
import type { SightingSnapshot } from '../sightings/index.js';
import type { SourcePositions } from './positions.js';
import { PIPELINE_STATE_VERSION, type PipelineStateFile, type SerializedObservation } from './schema.js';

/** Everything the state file holds, in memory. */
export interface PipelineStateContent {
  /** The latest event time seen; -Infinity before any event. */
  readonly watermarkMs: number;
  /** The lines the engine and sightings below reflect. */
  readonly positions: readonly SourcePositions[];
  readonly sightings: readonly SightingSnapshot[];
  readonly partialMatches: readonly PartialMatchSnapshot[];
}

/** A state file whose parts refer to each other wrongly (an index past the observation table). */
export class StateContentError extends Error {
  override readonly name = 'StateContentError';
}

class ObservationTable {
  readonly rows: SerializedObservation[] = [];
  private readonly indexes = new Map<Observation, number>();

  indexOf(observation: Observation): number {
    let at = this.indexes.get(observation);
    if (at === undefined) {
      at = this.rows.length;
      this.indexes.set(observation, at);
      this.rows.push({
        observedData: observation.observedData,
        objects: [...observation.objects.values()],
        time: observation.time,
        context: observation.context,
        sensor: observation.sensor,
        origin: observation.origin,
      });
    }
    return at;
  }
}

export function encodeState(content: PipelineStateContent, savedAt: Date): PipelineStateFile {
  const table = new ObservationTable();
  const indexes = (observations: readonly Observation[]): number[] =>
    observations.map((observation) => table.indexOf(observation));
  const partialMatches = content.partialMatches.map((partial) => ({
    ...partial,
    kept: partial.kept.map((k) => ({ observation: table.indexOf(k.observation), leaves: k.leaves })),
  }));
  const sightings = content.sightings.map((sighting) => ({
    ...sighting,
    observedDataRefs: [...sighting.observedDataRefs],
    pending: indexes(sighting.pending),
    latest: indexes(sighting.latest),
  }));
  return {
    version: PIPELINE_STATE_VERSION,
    savedAt: savedAt.toISOString(),
    watermarkMs: Number.isFinite(content.watermarkMs) ? content.watermarkMs : null,
    positions: content.positions.map(({ source, files }) => ({ source, files: [...files] })),
    observations: table.rows,
    sightings,
    partialMatches,
  };
}

function decodeObservation(row: SerializedObservation): Observation {
  const objects = new Map<string, StixObject>(row.objects.map((object) => [object.id, object]));
  return { ...row, objects };
}

export function decodeState(file: PipelineStateFile): PipelineStateContent {
  const observations = file.observations.map(decodeObservation);
  const at = (index: number, where: string): Observation => {
    const observation = observations[index];
    if (observation === undefined) {
      throw new StateContentError(
        `${where} refers to observation ${index}, but there are ${observations.length}.`,
      );
    }
    return observation;
  };
  const partialMatches = file.partialMatches.map((partial) => ({
    ...partial,
    kept: partial.kept.map((k) => ({
      observation: at(k.observation, `the partial match of ${partial.indicatorId}`),
      leaves: k.leaves,
    })),
  }));
  const sightings = file.sightings.map((sighting) => ({
    ...sighting,
    pending: sighting.pending.map((i) => at(i, `sighting ${sighting.id}`)),
    latest: sighting.latest.map((i) => at(i, `sighting ${sighting.id}`)),
  }));
  return {
    watermarkMs: file.watermarkMs ?? Number.NEGATIVE_INFINITY,
    positions: file.positions,
    sightings,
    partialMatches,
  };
}
