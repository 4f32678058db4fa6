/**
 * `matcher load`'s work: read bundle files, validate them, and upsert each valid bundle in its own
 * transaction, so a bundle is written whole or not at all.
 */
import { readFile } from 'node:fs/promises';
import type { Driver } from 'neo4j-driver';
import { parseBundleFile, type BundleFile, type StixBundle } from './bundle.js';
import type { Neo4jCredentials } from './credentials.js';
import { sessionConfig } from './driver.js';
import { upsertObjects, type UpsertResult } from './upsert.js';

/** Reads and validates one file; a file that cannot be read is reported like a file that does not parse. */
export async function readBundleFile(path: string): Promise<BundleFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      file: path,
      bundles: [],
      rejected: 1,
      diagnostics: [{ code: 'invalid-json', severity: 'error', file: path, path: '$', message }],
    };
  }
  return parseBundleFile(text, path);
}

/** Upserts one validated bundle in one write transaction (retried whole on transient errors). */
export async function loadBundle(
  driver: Driver,
  credentials: Neo4jCredentials,
  bundle: StixBundle,
): Promise<UpsertResult> {
  const session = driver.session(sessionConfig(credentials));
  try {
    return await session.executeWrite((tx) => upsertObjects(tx, bundle.objects));
  } finally {
    await session.close();
  }
}
