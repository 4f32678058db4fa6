/**
 * How a STIX object becomes nodes and edges (docs/graph-model.md). Pure functions, no database:
 * the loader and the sighting writer both build their Cypher from these. Labels and edge types cannot
 * be query parameters, so every name that reaches Cypher text passes a strict pattern first.
 */
import neo4j, { type Integer } from 'neo4j-driver';
import type { StixObject } from '../contracts.js';

export const STIX_OBJECT_LABEL = 'StixObject';
/** Node property holding the whole object as JSON. */
export const JSON_PROPERTY = 'stix_json';
/** Property on a reference edge: the STIX property it came from (`image_ref`, `object_refs` …). */
export const REF_EDGE_PROPERTY = 'ref';
/** The prototype's edge from an indicator to the observed-data it matched. */
export const MATCHED_EDGE_TYPE = 'MATCHED';

/** STIX type names: lowercase ASCII letters and digits in hyphen-separated words (`ipv4-addr`). */
export const TYPE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** A reference property: snake case ending in `_ref` or `_refs` (`sighting_of_ref`). */
export const REF_PROPERTY = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*_refs?$/;
/** A relationship type such as `uses`, `related-to`, `derived-from`. */
export const RELATIONSHIP_TYPE = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
/** The last guard before a name is written into Cypher text. */
const CYPHER_NAME = /^[A-Z][A-Za-z0-9_]{0,249}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A name that cannot become a label or edge type; the loader's validation keeps these out. */
export class GraphNameError extends Error {
  override readonly name = 'GraphNameError';
}

/** `attack-pattern` → `AttackPattern`, `x509-certificate` → `X509Certificate`. */
export function labelForType(type: string): string {
  if (!TYPE_NAME.test(type)) throw new GraphNameError(`'${type}' is not a STIX type name.`);
  return type
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** `sighting_of_ref` → `SIGHTING_OF`, `object_refs` → `OBJECT`. */
export function edgeTypeForRef(property: string): string {
  if (!REF_PROPERTY.test(property)) throw new GraphNameError(`'${property}' is not a reference property.`);
  return property.replace(/_refs?$/, '').toUpperCase();
}

/** `related-to` → `RELATED_TO`. */
export function edgeTypeForRelationship(relationshipType: string): string {
  if (!RELATIONSHIP_TYPE.test(relationshipType)) {
    throw new GraphNameError(`'${relationshipType}' is not a relationship type.`);
  }
  return relationshipType.replaceAll('-', '_').toUpperCase();
}

/** A label or edge type quoted for Cypher text, after checking it against the whitelist once more. */
export function cypherName(name: string): string {
  if (!CYPHER_NAME.test(name)) throw new GraphNameError(`'${name}' cannot be used as a Cypher name.`);
  return `\`${name}\``;
}

/** The type part of a STIX id (`indicator--…` → `indicator`), or undefined when it has none. */
export function typeOfId(id: string): string | undefined {
  const separator = id.indexOf('--');
  if (separator <= 0) return undefined;
  const type = id.slice(0, separator);
  return TYPE_NAME.test(type) ? type : undefined;
}

export function hasUuid(id: string): boolean {
  return UUID.test(id.slice(id.indexOf('--') + 2));
}

export type PropertyValue =
  string | number | boolean | Integer | readonly (string | number | boolean | Integer)[];

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  /** Every node property, `id`, `type` and the JSON included; replaces the node's properties as a whole. */
  readonly properties: Readonly<Record<string, PropertyValue>>;
}

export interface RefEdge {
  readonly type: string;
  readonly property: string;
  readonly from: string;
  readonly to: string;
}

export interface RelationshipEdge {
  readonly type: string;
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly properties: Readonly<Record<string, PropertyValue>>;
}

export interface MatchedEdge {
  readonly indicator: string;
  readonly observedData: string;
}

/** JSON numbers that are integers are stored as Neo4j integers, so `pid = 42` compares as the prototype's did. */
function toPropertyValue(value: unknown): PropertyValue | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? neo4j.int(value) : value;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const kinds = new Set(value.map((item) => typeof item));
  // Neo4j lists hold one scalar type; anything else stays in the JSON only.
  if (kinds.size !== 1) return undefined;
  if (kinds.has('string') || kinds.has('boolean')) return value as readonly (string | boolean)[];
  if (!kinds.has('number')) return undefined;
  const numbers = value as readonly number[];
  // Integers only if all are, so the list never mixes Neo4j integers and floats.
  return numbers.every((n) => Number.isSafeInteger(n)) ? numbers.map((n) => neo4j.int(n)) : numbers;
}

/** Scalar properties and lists of scalars; nested objects (hashes, extensions …) stay in the JSON only. */
export function scalarProperties(object: StixObject): Record<string, PropertyValue> {
  const properties: Record<string, PropertyValue> = {};
  for (const [name, value] of Object.entries(object)) {
    if (name === JSON_PROPERTY) continue;
    const converted = toPropertyValue(value);
    if (converted !== undefined) properties[name] = converted;
  }
  return properties;
}

export function nodeOf(object: StixObject): GraphNode {
  return {
    id: object.id,
    label: labelForType(object.type),
    properties: { ...scalarProperties(object), [JSON_PROPERTY]: JSON.stringify(object) },
  };
}

/** A relationship's own source and target become its typed edge, not reference edges. */
function isRelationshipEnd(object: StixObject, property: string): boolean {
  return object.type === 'relationship' && (property === 'source_ref' || property === 'target_ref');
}

/** One edge per distinct id in each top-level `*_ref` / `*_refs` property. */
export function refEdgesOf(object: StixObject): RefEdge[] {
  const edges: RefEdge[] = [];
  for (const [property, value] of Object.entries(object)) {
    if (!REF_PROPERTY.test(property) || isRelationshipEnd(object, property)) continue;
    const targets = Array.isArray(value) ? value : [value];
    const distinct = new Set(targets.filter((target): target is string => typeof target === 'string'));
    const type = edgeTypeForRef(property);
    for (const to of distinct) edges.push({ type, property, from: object.id, to });
  }
  return edges;
}

export function relationshipEdgeOf(object: StixObject): RelationshipEdge | undefined {
  const { relationship_type: relationshipType, source_ref: source, target_ref: target } = object;
  if (object.type !== 'relationship') return undefined;
  if (typeof relationshipType !== 'string' || typeof source !== 'string' || typeof target !== 'string') {
    return undefined;
  }
  return {
    type: edgeTypeForRelationship(relationshipType),
    id: object.id,
    source,
    target,
    // The marker of reference edges never appears on a relationship edge, so removals stay exact.
    properties: Object.fromEntries(
      Object.entries(scalarProperties(object)).filter(([name]) => name !== REF_EDGE_PROPERTY),
    ),
  };
}

/** A sighting of an indicator also links the indicator to each observed-data, as the prototype did. */
export function matchedEdgesOf(object: StixObject): MatchedEdge[] {
  const indicator = object.sighting_of_ref;
  const observed = object.observed_data_refs;
  if (object.type !== 'sighting' || typeof indicator !== 'string' || typeOfId(indicator) !== 'indicator') {
    return [];
  }
  if (!Array.isArray(observed)) return [];
  const distinct = new Set(observed.filter((id): id is string => typeof id === 'string'));
  return [...distinct].map((observedData) => ({ indicator, observedData }));
}

/** The version timestamp: `modified`, else `created`, else none (SCOs and the prototype's models). */
export function versionOf(object: StixObject): string | undefined {
  const { modified, created } = object;
  if (typeof modified === 'string') return modified;
  return typeof created === 'string' ? created : undefined;
}

/** Orders STIX timestamps (`…:SS[.fraction]Z`) by time, whatever the number of fraction digits. */
export function compareTimestamps(a: string, b: string): number {
  const key = (timestamp: string): string => {
    const [seconds = '', fraction = ''] = timestamp.replace(/Z$/, '').split('.');
    return `${seconds}.${fraction.padEnd(9, '0')}`;
  };
  const [left, right] = [key(a), key(b)];
  return left < right ? -1 : left > right ? 1 : 0;
}
