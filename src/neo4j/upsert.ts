/**
 * Writes STIX objects into the graph inside a transaction the caller owns (one per bundle for
 * `matcher load`; one per batch for the sighting writer). Versioning: an object replaces the stored one
 * unless it is strictly older (by `modified`, else `created`); an identical object changes nothing.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import { z } from 'zod';
import type { StixObject } from '../contracts.js';
import { canonicalJson } from '../stix/ids.js';
import {
  JSON_PROPERTY,
  MATCHED_EDGE_TYPE,
  REF_EDGE_PROPERTY,
  STIX_OBJECT_LABEL,
  compareTimestamps,
  cypherName,
  labelForType,
  matchedEdgesOf,
  nodeOf,
  refEdgesOf,
  relationshipEdgeOf,
  typeOfId,
  versionOf,
  type GraphNode,
} from './graph-model.js';

export interface UpsertCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Objects not written because the stored version is newer. */
  olderIgnored: number;
  /** Nodes created only because something refers to them; filled in when the object itself is loaded. */
  placeholders: number;
  edges: number;
}

export interface UpsertWarning {
  readonly id: string;
  readonly message: string;
}

export interface UpsertResult {
  readonly counts: UpsertCounts;
  readonly warnings: readonly UpsertWarning[];
}

type Decision = 'create' | 'update' | 'unchanged' | 'older';

const storedRow = z.object({ id: z.string(), json: z.string().nullable() });
const storedObject = z.looseObject({ type: z.string(), id: z.string() });
const CHUNK = 1000;
const objectLabel = cypherName(STIX_OBJECT_LABEL);

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) result.push(items.slice(i, i + CHUNK));
  return result;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group === undefined) groups.set(name, [item]);
    else group.push(item);
  }
  return groups;
}

/** Several versions of one id in the input: the newest wins, as it would across loads. */
function newestPerId(objects: readonly StixObject[]): StixObject[] {
  const newest = new Map<string, StixObject>();
  for (const object of objects) {
    const seen = newest.get(object.id);
    if (seen === undefined || decide(object, seen) !== 'older') newest.set(object.id, object);
  }
  return [...newest.values()];
}

function decide(incoming: StixObject, stored: StixObject | undefined): Decision {
  if (stored === undefined) return 'create';
  // Key order is no difference: the stored object comes back through zod, which moves `type` and `id` first.
  if (canonicalJson(incoming) === canonicalJson(stored)) return 'unchanged';
  const [next, current] = [versionOf(incoming), versionOf(stored)];
  if (next !== undefined && current !== undefined && compareTimestamps(next, current) < 0) return 'older';
  return 'update';
}

async function readStored(tx: ManagedTransaction, ids: readonly string[]): Promise<Map<string, StixObject>> {
  const stored = new Map<string, StixObject>();
  for (const part of chunks(ids)) {
    const result = await tx.run(
      `UNWIND $ids AS id MATCH (n:${objectLabel} {id: id}) RETURN n.id AS id, n.${JSON_PROPERTY} AS json`,
      { ids: part },
    );
    for (const record of result.records) {
      const row = storedRow.parse(record.toObject());
      // A placeholder has no JSON: the object is not really there yet.
      if (row.json !== null) stored.set(row.id, storedObject.parse(JSON.parse(row.json)));
    }
  }
  return stored;
}

async function writeNodes(tx: ManagedTransaction, nodes: readonly GraphNode[]): Promise<void> {
  for (const [label, group] of groupBy(nodes, (node) => node.label)) {
    for (const part of chunks(group)) {
      await tx.run(
        `UNWIND $rows AS row MERGE (n:${objectLabel} {id: row.id}) SET n = row.properties SET n:${cypherName(label)}`,
        { rows: part.map((node) => ({ id: node.id, properties: node.properties })) },
      );
    }
  }
}

/** Edges a replaced object made last time: its reference edges, and its relationship edge if it is one. */
async function removeOldEdges(tx: ManagedTransaction, replaced: readonly StixObject[]): Promise<void> {
  for (const part of chunks(replaced.map((object) => object.id))) {
    await tx.run(
      `UNWIND $ids AS id MATCH (:${objectLabel} {id: id})-[r]->() WHERE r.${REF_EDGE_PROPERTY} IS NOT NULL DELETE r`,
      { ids: part },
    );
  }
  const relationships = replaced.flatMap((object) => {
    const edge = relationshipEdgeOf(object);
    return edge === undefined ? [] : [{ id: edge.id, source: edge.source }];
  });
  for (const part of chunks(relationships)) {
    await tx.run(
      `UNWIND $rows AS row MATCH (:${objectLabel} {id: row.source})-[r]->() WHERE r.id = row.id DELETE r`,
      { rows: part },
    );
  }
}

/** Referenced ids get a node (labelled by the id's type) so every edge lands, even before the object loads. */
async function ensurePlaceholders(tx: ManagedTransaction, ids: ReadonlySet<string>): Promise<number> {
  let created = 0;
  const typed = [...ids].flatMap((id) => {
    const type = typeOfId(id);
    return type === undefined ? [] : [{ id, type }];
  });
  for (const [type, group] of groupBy(typed, (entry) => entry.type)) {
    for (const part of chunks(group.map((entry) => entry.id))) {
      const result = await tx.run(
        `UNWIND $ids AS id MERGE (n:${objectLabel} {id: id}) ` +
          `ON CREATE SET n.type = $type, n:${cypherName(labelForType(type))}`,
        { ids: part, type },
      );
      created += result.summary.counters.updates().nodesCreated;
    }
  }
  return created;
}

async function createEdges(tx: ManagedTransaction, objects: readonly StixObject[]): Promise<number> {
  let created = 0;
  const run = async (query: string, rows: readonly object[]): Promise<void> => {
    for (const part of chunks(rows)) {
      created += (await tx.run(query, { rows: part })).summary.counters.updates().relationshipsCreated;
    }
  };
  const endpoints = `UNWIND $rows AS row MATCH (a:${objectLabel} {id: row.from}), (b:${objectLabel} {id: row.to})`;
  for (const [type, edges] of groupBy(objects.flatMap(refEdgesOf), (edge) => edge.type)) {
    await run(
      `${endpoints} CREATE (a)-[:${cypherName(type)} {${REF_EDGE_PROPERTY}: row.property}]->(b)`,
      edges,
    );
  }
  const relationships = objects.flatMap((object) => relationshipEdgeOf(object) ?? []);
  for (const [type, edges] of groupBy(relationships, (edge) => edge.type)) {
    const rows = edges.map((edge) => ({ from: edge.source, to: edge.target, properties: edge.properties }));
    await run(`${endpoints} CREATE (a)-[r:${cypherName(type)}]->(b) SET r = row.properties`, rows);
  }
  const matched = objects
    .flatMap(matchedEdgesOf)
    .map((edge) => ({ from: edge.indicator, to: edge.observedData }));
  await run(`${endpoints} MERGE (a)-[:${cypherName(MATCHED_EDGE_TYPE)}]->(b)`, matched);
  return created;
}

function referencedIds(objects: readonly StixObject[]): Set<string> {
  const ids = new Set<string>();
  for (const object of objects) {
    for (const edge of refEdgesOf(object)) ids.add(edge.to);
    const relationship = relationshipEdgeOf(object);
    if (relationship !== undefined) [relationship.source, relationship.target].forEach((id) => ids.add(id));
  }
  return ids;
}

interface Plan {
  readonly counts: UpsertCounts;
  readonly warnings: UpsertWarning[];
  /** Objects to write: new ones and newer versions. */
  readonly toWrite: StixObject[];
  /** The stored versions being replaced, whose edges go. */
  readonly replaced: StixObject[];
}

function plan(objects: readonly StixObject[], stored: ReadonlyMap<string, StixObject>): Plan {
  const result: Plan = {
    counts: { created: 0, updated: 0, unchanged: 0, olderIgnored: 0, placeholders: 0, edges: 0 },
    warnings: [],
    toWrite: [],
    replaced: [],
  };
  for (const object of objects) {
    const previous = stored.get(object.id);
    const decision = decide(object, previous);
    if (decision === 'create') result.counts.created += 1;
    if (decision === 'unchanged') result.counts.unchanged += 1;
    if (decision === 'create' || decision === 'update') result.toWrite.push(object);
    if (previous === undefined) continue;
    const [version, storedVersion] = [versionOf(object), versionOf(previous)];
    if (decision === 'older') {
      result.counts.olderIgnored += 1;
      result.warnings.push({
        id: object.id,
        message: `a newer version (${storedVersion}) is stored; ignored`,
      });
    }
    if (decision === 'update') {
      result.counts.updated += 1;
      result.replaced.push(previous);
      if (version !== undefined && version === storedVersion) {
        result.warnings.push({
          id: object.id,
          message: `changed without a new 'modified' (${version}); replaced`,
        });
      }
    }
  }
  return result;
}

/** Upserts the objects (already validated) and their edges within `tx`. */
export async function upsertObjects(
  tx: ManagedTransaction,
  input: readonly StixObject[],
): Promise<UpsertResult> {
  const objects = newestPerId(input);
  const { counts, warnings, toWrite, replaced } = plan(
    objects,
    await readStored(
      tx,
      objects.map((o) => o.id),
    ),
  );
  await writeNodes(tx, toWrite.map(nodeOf));
  await removeOldEdges(tx, replaced);
  counts.placeholders = await ensurePlaceholders(tx, referencedIds(toWrite));
  counts.edges = await createEdges(tx, toWrite);
  return { counts, warnings };
}
