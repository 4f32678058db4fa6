import type { IndicatorSource } from '../engine/index.js';

/** Where the live indicator set comes from: a bundle file, or Neo4j. Read at start and on every refresh. */
export interface IndicatorProvider {
  /** A short name for logs and metrics, e.g. `file:/path` or `neo4j`. */
  readonly name: string;
  /** The whole current set of STIX indicators; throws when the store cannot be read (the last set stays). */
  load(): Promise<IndicatorSnapshot>;
  close(): Promise<void>;
}

export interface IndicatorSnapshot {
  readonly indicators: readonly IndicatorSource[];
  /** Objects that are not valid indicators, with why; reported once each, never fatal. */
  readonly problems: readonly { readonly id?: string; readonly message: string }[];
}
