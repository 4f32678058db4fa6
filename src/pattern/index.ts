/**
 * stix2-patterning-js: the STIX 2.1 (and 2.0) pattern language.
 * This folder imports nothing from the rest of the project, so it can be published on its own.
 */
export type * from './ast.js';
export { PatternSyntaxError, SearchLimitError } from './errors.js';
export {
  compilePattern,
  compileParsedPattern,
  matchPattern,
  compileComparisonExpression,
} from './compile.js';
export type { BindingsOptions, CompiledPattern, CompileOptions, StixPatternVersion } from './compile.js';
export type { CompiledComparisonExpression } from './comparison.js';
export { createObservationView, createObservationViewV20 } from './observations.js';
export type { JsonObject, ObservationView } from './observations.js';
export { ObservationInputError, readObservations } from './observation-input.js';
export type { TimedObservation } from './observation-input.js';
export { parseTimestamp, compareTimestamps, timestampToEpochMs } from './values/timestamp.js';
export type { Timestamp } from './values/timestamp.js';
export { likeLiteralPrefix, likeLiteralSuffix } from './values/like.js';
export { nfc } from './values/strings.js';
export { bytesToLatin1, decodeUtf8 } from './values/binary.js';
export { compilePath, compilePathStep } from './object-path.js';
export type { PathVisit, PathWalker } from './object-path.js';
export { parseIpNetwork, networkContains } from './values/cidr.js';
export type { IpNetwork } from './values/cidr.js';
export { parsePattern, MAX_NESTING_DEPTH } from './parser.js';
export type { ParseOptions } from './parser.js';
export type { StixVersion } from './tokens.js';
export { analyzePattern } from './analyze.js';
export type { PatternAnalysis } from './analyze.js';
export { diagnosticCatalog, diagnosticToJson, formatDiagnostic } from './diagnostics.js';
export type {
  DiagnosticRecord,
  PatternDiagnostic,
  PatternDiagnosticCode,
  PatternDiagnosticJson,
  PatternDiagnosticSeverity,
} from './diagnostics.js';
