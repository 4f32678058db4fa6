/**
 * The contracts between the stages of the pipeline:
 * sources ─RawLine─► observe ─Observation─► engine ─Match─► sightings ─SightingUpdate─► outputs.
 * Types only; each stage owns its behaviour.
 */

/** Where a line came from, precise enough to report it and to commit a checkpoint after it. */
export interface Origin {
  /** The id of the source that produced the line (as configured). */
  readonly source: string;
  readonly file?: string;
  /** 1-based line number within the file or stream. */
  readonly line?: number;
  /** Byte offset just past the line, for checkpoints. */
  readonly offset?: number;
  /** Identity of a tailed file independent of its path (survives rotation by rename). */
  readonly fingerprint?: string;
  readonly pod?: string;
  readonly container?: string;
}

export interface RawLine {
  readonly text: string;
  readonly origin: Origin;
}

/** Any STIX object; properties beyond type and id are checked where they are used. */
export interface StixObject {
  readonly type: string;
  readonly id: string;
  readonly [property: string]: unknown;
}

export type Sensor = 'tetragon' | 'k8s-audit' | 'falco' | 'kubescape' | 'stix';

/** Where in the cluster an event happened; used to aggregate sightings and to summarise them. */
export interface EventContext {
  readonly node?: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
}

/**
 * One event as STIX 2.1: an observed-data and the SCOs it refers to (directly or through references).
 * Never changed once made: observers share frozen objects between events, and the engine remembers
 * what it found in a frozen object.
 */
export interface Observation {
  readonly observedData: StixObject;
  /** Every SCO of the event by id: those in `object_refs` and those they reference. */
  readonly objects: ReadonlyMap<string, StixObject>;
  /** Event time, milliseconds since the epoch (fractions allowed). */
  readonly time: number;
  readonly context: EventContext;
  readonly sensor: Sensor;
  readonly origin: Origin;
}

/** A line that did not become an observation, and why; counted, never silent. */
export interface Skip {
  readonly reason: SkipReason;
  readonly detail: string;
  readonly origin: Origin;
}

export type SkipReason =
  | 'malformed-json'
  | 'line-too-long'
  | 'binary'
  | 'unknown-format'
  | 'unsupported-event'
  | 'duplicate'
  | 'irrelevant'
  | 'invalid-event';

/** An indicator whose pattern the observations satisfy. */
export interface Match {
  readonly indicatorId: string;
  readonly observations: readonly Observation[];
  /** Event time of the match (the latest observation), ms since the epoch. */
  readonly time: number;
}

/** What an output writes: a new or updated STIX sighting, idempotent by `sighting.id`. */
export interface SightingUpdate {
  /** The STIX 2.1 sighting as it now stands (count, first_seen, last_seen, observed_data_refs). */
  readonly sighting: StixObject;
  /** The identity of the place it was sighted (the node, or the cluster), referenced by where_sighted_refs. */
  readonly whereSighted: StixObject;
  readonly indicator: { readonly id: string; readonly name?: string };
  readonly context: EventContext;
  /** Observations matched since the previous update of this sighting, for outputs that store them. */
  readonly newObservations: readonly Observation[];
  /** One line for people: where, and what was seen. */
  readonly summary: string;
  /** True for the first update of this sighting. */
  readonly isNew: boolean;
}
