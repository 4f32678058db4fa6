import type { Driver } from 'neo4j-driver';
import {
  Neo4jCredentials,
  bundleDiagnosticCodes,
  Neo4jCredentialsError,
  createDriver,
  ensureSchema,
  formatDiagnostic,
  loadBundle,
  readBundleFile,
  readNeo4jCredentials,
  verifyNeo4j,
  type BundleFile,
  type StixBundle,
  type UpsertResult,
} from '../neo4j/index.js';
import { UsageError, type CliIO, type Command } from './command.js';

const usage = `Usage: matcher load <bundle.json>...

Upserts STIX 2.1 bundles (a bundle, or a JSON array of bundles, per file) into Neo4j, one transaction per
bundle: a bundle is written whole or not at all. Loading again changes nothing; a newer 'modified'
replaces a stored object, an older one is ignored. A bundle with a malformed object is rejected and
reported with the file, the object's index and the JSON path of the fault.

Environment:
  NEO4J_URI                      bolt://, neo4j://, or with TLS bolt+s://, neo4j+s:// (+ssc: self-signed)
  NEO4J_USERNAME, NEO4J_PASSWORD or NEO4J_AUTH=user/password (as the Neo4j Helm chart's secret holds it)
  NEO4J_DATABASE                 optional; the server's default database otherwise

Exit status: 0 all bundles loaded, 1 a bundle was rejected or could not be written, 2 usage or settings.`;

function summary(bundle: StixBundle, result: UpsertResult): string {
  const c = result.counts;
  return (
    `${bundle.file} ${bundle.path} ${bundle.id}: ${bundle.objects.length} objects: ${c.created} created, ` +
    `${c.updated} updated, ${c.unchanged} unchanged, ${c.olderIgnored} older ignored; ` +
    `${c.placeholders} placeholders, ${c.edges} edges created.\n`
  );
}

function parseArgs(args: readonly string[]): string[] {
  const unknown = args.find((arg) => arg.startsWith('-'));
  if (unknown !== undefined) throw new UsageError(`unknown option '${unknown}'.`);
  if (args.length === 0) throw new UsageError('name at least one bundle file.');
  return [...args];
}

function credentialsFrom(io: CliIO): Neo4jCredentials | string {
  try {
    return readNeo4jCredentials(io.env) ?? 'NEO4J_URI is not set: tell matcher load which Neo4j to write to.';
  } catch (error) {
    if (error instanceof Neo4jCredentialsError) return error.message;
    throw error;
  }
}

/** Loads every valid bundle; returns whether all of them were written. */
async function loadAll(
  driver: Driver,
  credentials: Neo4jCredentials,
  files: readonly BundleFile[],
  io: CliIO,
) {
  let ok = true;
  for (const bundle of files.flatMap((file) => file.bundles)) {
    try {
      const result = await loadBundle(driver, credentials, bundle);
      for (const warning of result.warnings) {
        io.stderr.write(`${bundle.file}: ${warning.id}: warning: ${warning.message}\n`);
      }
      io.stdout.write(summary(bundle, result));
    } catch (error) {
      ok = false;
      const message = error instanceof Error ? error.message : String(error);
      io.stderr.write(
        `${bundle.file} ${bundle.path} ${bundle.id}: not loaded, nothing written: ${message}\n`,
      );
    }
  }
  return ok;
}

/** Prints every diagnostic, one hint per code seen, and returns how many bundles were rejected. */
function reportDiagnostics(files: readonly BundleFile[], io: CliIO): number {
  const diagnostics = files.flatMap((file) => file.diagnostics);
  for (const diagnostic of diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  for (const code of new Set(diagnostics.map((d) => d.code))) {
    io.stderr.write(`hint [${code}]: ${bundleDiagnosticCodes[code].hint}\n`);
  }
  const rejected = files.reduce((sum, file) => sum + file.rejected, 0);
  if (rejected > 0)
    io.stderr.write(`matcher load: ${rejected} bundle(s) rejected, nothing of them written.\n`);
  return rejected;
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const paths = parseArgs(args);
  const credentials = credentialsFrom(io);
  if (typeof credentials === 'string') {
    io.stderr.write(`matcher load: ${credentials}\n`);
    return 2;
  }
  const files = await Promise.all(paths.map(readBundleFile));
  const rejected = reportDiagnostics(files, io);
  if (files.every((file) => file.bundles.length === 0)) return rejected > 0 ? 1 : 0;
  const driver = createDriver(credentials, { userAgent: 'matcher-load' });
  try {
    await verifyNeo4j(driver, credentials);
    await ensureSchema(driver, credentials);
    const loaded = await loadAll(driver, credentials, files, io);
    return loaded && rejected === 0 ? 0 : 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`matcher load: Neo4j at ${credentials.toString()}: ${message}\n`);
    return 1;
  } finally {
    await driver.close();
  }
}

export const loadCommand: Command = {
  name: 'load',
  summary: 'Upsert STIX 2.1 bundles into Neo4j, one transaction per bundle.',
  usage,
  run,
};
