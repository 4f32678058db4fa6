/**
 * A process that writes sighting updates through the Neo4j output, for the crash test
 * (test/integration/neo4j-restart.test.ts). Usage: `node --import tsx output-child.ts <stateDir> <updates.json>`
 * with NEO4J_* in the environment. Commands on stdin, one a line: `write <i>` writes batch i and prints
 * `acked <i>` once the output resolves; `finish` waits until the spill is drained, closes and prints `drained`.
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import type { Observation, SightingUpdate, StixObject } from '../../src/contracts.js';
import { createDriver, readNeo4jCredentials } from '../../src/neo4j/index.js';
import { neo4jOutput } from '../../src/outputs/neo4j.js';

type SerializedObservation = Omit<Observation, 'objects'> & { objects: [string, StixObject][] };
type SerializedUpdate = Omit<SightingUpdate, 'newObservations'> & {
  newObservations: SerializedObservation[];
};

/** Updates as JSON (observation objects are a Map, kept as its entries). */
export function serializeBatches(batches: readonly (readonly SightingUpdate[])[]): string {
  return JSON.stringify(
    batches.map((batch) =>
      batch.map((update) => ({
        ...update,
        newObservations: update.newObservations.map((o) => ({ ...o, objects: [...o.objects] })),
      })),
    ),
  );
}

function revive(batches: SerializedUpdate[][]): SightingUpdate[][] {
  return batches.map((batch) =>
    batch.map((update) => ({
      ...update,
      newObservations: update.newObservations.map((o) => ({ ...o, objects: new Map(o.objects) })),
    })),
  );
}

async function main(stateDir: string, updatesFile: string): Promise<void> {
  const batches = revive(JSON.parse(await readFile(updatesFile, 'utf8')) as SerializedUpdate[][]);
  const credentials = readNeo4jCredentials(process.env);
  if (credentials === undefined) throw new Error('NEO4J_URI is not set.');
  const driver = createDriver(credentials, { connectionTimeoutMs: 2000 });
  const output = await neo4jOutput(driver, {
    credentials,
    stateDir,
    logger: pino({ level: 'silent' }),
    batchSize: 5,
    attempts: 2,
    initialRetryDelayMs: 50,
    maxRetryDelayMs: 500,
  });
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, argument] = line.split(' ');
    if (command === 'write') {
      const index = Number(argument);
      await output.write(batches[index] ?? []);
      process.stdout.write(`acked ${index}\n`);
    } else if (command === 'finish') {
      await output.drained();
      await output.close();
      await driver.close();
      process.stdout.write(`drained ${JSON.stringify(output.counters())}\n`);
      // Let go of stdin, which the parent still holds open, so the process can end.
      process.stdin.destroy();
      return;
    }
  }
}

if (process.argv[1] === import.meta.filename) {
  const [stateDir, updatesFile] = process.argv.slice(2);
  if (stateDir === undefined || updatesFile === undefined)
    throw new Error('usage: output-child <stateDir> <updates.json>');
  await main(stateDir, updatesFile);
}
