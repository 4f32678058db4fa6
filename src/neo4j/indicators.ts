/**
 * The live indicator set from Neo4j: every indicator node's stored STIX JSON (`pattern_type` stix), read
 * again on every `load()`, so a new, changed, revoked or expired indicator takes effect at the next
 * refresh. An indicator whose pattern does not compile is marked on its node (`markRejected`), for
 * people looking at the graph in the Browser.
 */
import type { Driver } from 'neo4j-driver';
import { z } from 'zod';
import { indicatorSchema, type IndicatorProvider, type IndicatorSnapshot } from '../indicators/index.js';
import type { Neo4jCredentials } from './credentials.js';
import { sessionConfig } from './driver.js';
import { JSON_PROPERTY, STIX_OBJECT_LABEL, cypherName } from './graph-model.js';

/** Node property holding why the pattern of this version of the indicator does not compile. */
export const PATTERN_ERROR_PROPERTY = 'pattern_error';
/** Node property: when the matcher found the pattern error (ISO 8601, wall clock). */
export const CHECKED_PROPERTY = 'matcher_checked';

export interface Neo4jIndicatorProviderOptions {
  /** Wall clock for `matcher_checked`. */
  readonly now?: () => number;
}

/** An indicator the daemon could not activate; only `invalid-pattern` ones are marked on their node. */
export interface IndicatorRejectionNote {
  readonly id: string;
  readonly reason: string;
  readonly message: string;
}

export interface Neo4jIndicatorProvider extends IndicatorProvider {
  /**
   * Marks each indicator whose pattern does not compile with `pattern_error` (the message) and
   * `matcher_checked`, leaving its STIX JSON and `modified` alone. Only the version returned by the last
   * `load()` is marked: a node changed since then is left for the next check. Returns how many nodes changed.
   */
  markRejected(rejections: readonly IndicatorRejectionNote[]): Promise<number>;
}

const objectLabel = cypherName(STIX_OBJECT_LABEL);
const indicatorRow = z.object({ id: z.string(), json: z.string() });

const readQuery =
  `MATCH (n:${objectLabel}) WHERE n.type = 'indicator' AND n.pattern_type = 'stix' ` +
  `AND n.${JSON_PROPERTY} IS NOT NULL RETURN n.id AS id, n.${JSON_PROPERTY} AS json ORDER BY id`;

// The mark is written only when it changes, so a refresh every few seconds does not rewrite the graph.
const markQuery =
  `UNWIND $rows AS row MATCH (n:${objectLabel} {id: row.id}) ` +
  `WHERE n.${JSON_PROPERTY} = row.json AND coalesce(n.${PATTERN_ERROR_PROPERTY}, '') <> row.message ` +
  `SET n.${PATTERN_ERROR_PROPERTY} = row.message, n.${CHECKED_PROPERTY} = $checked`;

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(object)'}: ${i.message}`).join('; ');
}

/** One row as an indicator, or the problem with it. */
function parseRow(
  record: Record<string, unknown>,
):
  | { indicator: z.infer<typeof indicatorSchema>; json: string }
  | { problem: { id?: string; message: string } } {
  const row = indicatorRow.safeParse(record);
  if (!row.success) return { problem: { message: `indicator node: ${describeIssues(row.error)}` } };
  const { id, json } = row.data;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { problem: { id, message: `${id}: stored JSON does not parse: ${String(error)}` } };
  }
  const parsed = indicatorSchema.safeParse(value);
  if (!parsed.success) return { problem: { id, message: `${id}: ${describeIssues(parsed.error)}` } };
  if (parsed.data.id !== id)
    return { problem: { id, message: `${id}: stored JSON has id ${parsed.data.id}` } };
  return { indicator: parsed.data, json };
}

export function neo4jIndicatorProvider(
  driver: Driver,
  credentials: Neo4jCredentials,
  options: Neo4jIndicatorProviderOptions = {},
): Neo4jIndicatorProvider {
  const now = options.now ?? Date.now;
  /** The JSON of each indicator as last loaded: the version a rejection is about. */
  let loadedJson = new Map<string, string>();
  // One try (no managed retries, which would hold a refresh for 30 s while Neo4j is down): the daemon
  // loads again at its next interval anyway.
  const runOnce = async (cypher: string, parameters: Record<string, unknown>, mode: 'READ' | 'WRITE') => {
    const session = driver.session(sessionConfig(credentials, mode));
    try {
      return await session.run(cypher, parameters);
    } finally {
      await session.close();
    }
  };
  return {
    name: 'neo4j',
    async load(): Promise<IndicatorSnapshot> {
      const result = await runOnce(readQuery, {}, 'READ');
      const indicators: z.infer<typeof indicatorSchema>[] = [];
      const problems: { id?: string; message: string }[] = [];
      const json = new Map<string, string>();
      for (const record of result.records) {
        const parsed = parseRow(record.toObject());
        if ('problem' in parsed) {
          problems.push(parsed.problem);
          continue;
        }
        indicators.push(parsed.indicator);
        json.set(parsed.indicator.id, parsed.json);
      }
      loadedJson = json;
      return { indicators, problems };
    },
    async markRejected(rejections) {
      const rows = rejections.flatMap((rejection) => {
        const stored = loadedJson.get(rejection.id);
        if (rejection.reason !== 'invalid-pattern' || stored === undefined) return [];
        return [{ id: rejection.id, json: stored, message: rejection.message }];
      });
      if (rows.length === 0) return 0;
      const result = await runOnce(markQuery, { rows, checked: new Date(now()).toISOString() }, 'WRITE');
      return result.summary.counters.updates().propertiesSet / 2;
    },
    close: () => Promise.resolve(),
  };
}
