import type { Driver } from 'neo4j-driver';
import type { Neo4jCredentials } from './credentials.js';
import { sessionConfig } from './driver.js';
import { STIX_OBJECT_LABEL, cypherName } from './graph-model.js';

const objectLabel = cypherName(STIX_OBJECT_LABEL);

/**
 * The schema the graph model needs (docs/graph-model.md). Every statement is idempotent (`IF NOT EXISTS`).
 * The uniqueness constraint also gives the index every lookup by `id` uses, as long as the query names
 * the `StixObject` label.
 */
export const schemaStatements: readonly string[] = [
  `CREATE CONSTRAINT stix_object_id IF NOT EXISTS FOR (n:${objectLabel}) REQUIRE n.id IS UNIQUE`,
  `CREATE INDEX stix_object_type IF NOT EXISTS FOR (n:${objectLabel}) ON (n.type)`,
];

/** Creates the constraint and indexes if missing and waits until they are online. */
export async function ensureSchema(driver: Driver, credentials: Neo4jCredentials): Promise<void> {
  const session = driver.session(sessionConfig(credentials));
  try {
    // Schema changes cannot share a transaction with data, nor with each other in every version: one each.
    for (const statement of schemaStatements) await session.run(statement);
    await session.run('CALL db.awaitIndexes(300)');
  } finally {
    await session.close();
  }
}
