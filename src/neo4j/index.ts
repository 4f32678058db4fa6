export {
  Neo4jCredentials,
  Neo4jCredentialsError,
  hasNeo4jSettings,
  readNeo4jCredentials,
  redactUri,
  type Neo4jEnv,
} from './credentials.js';
export { createDriver, sessionConfig, verifyNeo4j, type DriverOptions } from './driver.js';
export { ensureSchema, schemaStatements } from './schema.js';
export {
  GraphNameError,
  JSON_PROPERTY,
  MATCHED_EDGE_TYPE,
  REF_EDGE_PROPERTY,
  STIX_OBJECT_LABEL,
  compareTimestamps,
  cypherName,
  edgeTypeForRef,
  edgeTypeForRelationship,
  labelForType,
  matchedEdgesOf,
  nodeOf,
  refEdgesOf,
  relationshipEdgeOf,
  typeOfId,
  versionOf,
  type GraphNode,
  type MatchedEdge,
  type RefEdge,
  type RelationshipEdge,
} from './graph-model.js';
export {
  bundleDiagnosticCodes,
  formatDiagnostic,
  parseBundleFile,
  type BundleDiagnostic,
  type BundleDiagnosticCode,
  type BundleFile,
  type StixBundle,
} from './bundle.js';
export { upsertObjects, type UpsertCounts, type UpsertResult, type UpsertWarning } from './upsert.js';
export { loadBundle, readBundleFile } from './loader.js';
export {
  CHECKED_PROPERTY,
  PATTERN_ERROR_PROPERTY,
  neo4jIndicatorProvider,
  type IndicatorRejectionNote,
  type Neo4jIndicatorProvider,
  type Neo4jIndicatorProviderOptions,
} from './indicators.js';
export {
  isLaterSighting,
  isUnavailableError,
  sightingWriteOf,
  sightingWriteSchema,
  supersede,
  writeSightingBatch,
  writeSightings,
  type SightingWrite,
  type SightingWriteResult,
} from './sightings.js';
export {
  SpillLog,
  decodeRecord,
  decodeSegment,
  encodeRecord,
  type SpillRead,
  type SpillSegment,
} from './spill.js';
