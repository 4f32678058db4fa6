/**
 * Sighting updates written into the graph: the sighting, the identity it was sighted at, and the
 * observed-data and SCOs of its new observations, through the same upsert as `matcher load`, one
 * transaction per batch. A sighting is replaced only by a later state of itself (a later `modified`, or
 * the same with a higher `count`), so writing an update twice, or an older one after a newer one, changes
 * nothing: replaying the spill file is idempotent.
 */
import { ManagedTransaction, Neo4jError, isRetryableError, type Driver } from 'neo4j-driver';
import { z } from 'zod';
import type { SightingUpdate, StixObject } from '../contracts.js';
import type { Neo4jCredentials } from './credentials.js';
import { sessionConfig } from './driver.js';
import { STIX_OBJECT_LABEL, compareTimestamps, cypherName } from './graph-model.js';
import { upsertObjects, type UpsertCounts } from './upsert.js';

/** What the graph needs of a sighting update; also the record of the spill file. */
export interface SightingWrite {
  readonly sighting: StixObject;
  readonly whereSighted: StixObject;
  /** The observed-data and SCOs of the observations added since the previous update. */
  readonly observed: readonly StixObject[];
}

const stixObject = z.looseObject({ type: z.string().min(1), id: z.string().min(1) });

export const sightingWriteSchema = z.object({
  sighting: z.looseObject({
    type: z.literal('sighting'),
    id: z.string().min(1),
    modified: z.string(),
    count: z.number().int().nonnegative().optional(),
  }),
  whereSighted: stixObject,
  observed: z.array(stixObject),
});

export function sightingWriteOf(update: SightingUpdate): SightingWrite {
  const observed = new Map<string, StixObject>();
  for (const observation of update.newObservations) {
    observed.set(observation.observedData.id, observation.observedData);
    for (const [id, object] of observation.objects) observed.set(id, object);
  }
  return { sighting: update.sighting, whereSighted: update.whereSighted, observed: [...observed.values()] };
}

interface SightingVersion {
  readonly modified: string | null;
  readonly count: number | null;
}

function versionOfSighting(sighting: StixObject): SightingVersion {
  return {
    modified: typeof sighting.modified === 'string' ? sighting.modified : null,
    count: typeof sighting.count === 'number' ? sighting.count : null,
  };
}

/** Whether `incoming` is a later state of the sighting than `stored`: later `modified`, else higher `count`. */
export function isLaterSighting(incoming: SightingVersion, stored: SightingVersion | undefined): boolean {
  if (stored === undefined) return true;
  if (incoming.modified !== null && stored.modified !== null) {
    const order = compareTimestamps(incoming.modified, stored.modified);
    if (order !== 0) return order > 0;
  }
  return (incoming.count ?? 0) > (stored.count ?? 0);
}

/**
 * One write per sighting id: its latest state, with the observed objects of every update of it (each
 * update carries only the observations added since the one before, so none may be dropped).
 */
export function supersede(writes: readonly SightingWrite[]): SightingWrite[] {
  const merged = new Map<
    string,
    { sighting: StixObject; whereSighted: StixObject; observed: Map<string, StixObject> }
  >();
  for (const write of writes) {
    const known = merged.get(write.sighting.id);
    const entry = known ?? { ...write, observed: new Map<string, StixObject>() };
    if (
      known !== undefined &&
      isLaterSighting(versionOfSighting(write.sighting), versionOfSighting(known.sighting))
    ) {
      entry.sighting = write.sighting;
      entry.whereSighted = write.whereSighted;
    }
    for (const object of write.observed) entry.observed.set(object.id, object);
    merged.set(write.sighting.id, entry);
  }
  return [...merged.values()].map((entry) => ({ ...entry, observed: [...entry.observed.values()] }));
}

const storedSighting = z.object({
  id: z.string(),
  modified: z.string().nullable(),
  count: z.number().nullable(),
});
const objectLabel = cypherName(STIX_OBJECT_LABEL);

async function storedVersions(
  tx: ManagedTransaction,
  ids: readonly string[],
): Promise<Map<string, SightingVersion>> {
  const result = await tx.run(
    `UNWIND $ids AS id MATCH (n:${objectLabel} {id: id}) WHERE n.stix_json IS NOT NULL ` +
      'RETURN n.id AS id, n.modified AS modified, n.count AS count',
    { ids },
  );
  const versions = new Map<string, SightingVersion>();
  for (const record of result.records) {
    const row = storedSighting.parse(record.toObject());
    versions.set(row.id, row);
  }
  return versions;
}

export interface SightingWriteResult {
  /** Sightings created or moved to a later state. */
  readonly sightings: number;
  /** Sightings whose stored state is the same or later (a replay); their observed objects are still written. */
  readonly stale: number;
  readonly objects: UpsertCounts;
}

/** Writes the sightings (superseded per id) with their identities and observed objects, within `tx`. */
export async function writeSightings(
  tx: ManagedTransaction,
  input: readonly SightingWrite[],
): Promise<SightingWriteResult> {
  const writes = supersede(input);
  const stored = await storedVersions(
    tx,
    writes.map((w) => w.sighting.id),
  );
  const later = writes.filter((w) =>
    isLaterSighting(versionOfSighting(w.sighting), stored.get(w.sighting.id)),
  );
  const objects = new Map<string, StixObject>();
  for (const write of writes) {
    objects.set(write.whereSighted.id, write.whereSighted);
    for (const object of write.observed) objects.set(object.id, object);
  }
  // Sightings last, so the nodes their edges point at are written in the same call.
  const { counts } = await upsertObjects(tx, [...objects.values(), ...later.map((w) => w.sighting)]);
  return { sightings: later.length, stale: writes.length - later.length, objects: counts };
}

/**
 * One explicit transaction (not the driver's managed retries, which would hold the caller for up to
 * 30 s while Neo4j is down: the output decides itself when to retry and when to spill).
 */
export async function writeSightingBatch(
  driver: Driver,
  credentials: Neo4jCredentials,
  writes: readonly SightingWrite[],
): Promise<SightingWriteResult> {
  const session = driver.session(sessionConfig(credentials));
  try {
    const tx = session.beginTransaction();
    try {
      const result = await writeSightings(ManagedTransaction.fromTransaction(tx), writes);
      await tx.commit();
      return result;
    } catch (error) {
      if (tx.isOpen()) await tx.rollback().catch(() => undefined);
      throw error;
    }
  } finally {
    await session.close().catch(() => undefined);
  }
}

/**
 * Whether an error means Neo4j cannot be written now but may be later (down, restarting, a transient
 * failure, refused credentials), as opposed to data it will never accept.
 */
export function isUnavailableError(error: unknown): boolean {
  if (!(error instanceof Neo4jError)) return false;
  return (
    isRetryableError(error) ||
    error.code === 'ServiceUnavailable' ||
    error.code === 'SessionExpired' ||
    error.code.startsWith('Neo.TransientError.') ||
    error.code.startsWith('Neo.ClientError.Security.')
  );
}
