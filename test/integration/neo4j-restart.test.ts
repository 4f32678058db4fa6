import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import type { Driver } from 'neo4j-driver';
import { createDriver, ensureSchema, readNeo4jCredentials } from '../../src/neo4j/index.js';
import { encodeRecord } from '../../src/neo4j/spill.js';
import { serializeBatches } from '../neo4j/output-child.js';
import { assertGraphHoldsStream, sightingStream } from '../neo4j/sighting-stream.js';
import { startRestartableNeo4j, type RestartableNeo4j } from './neo4j-env.js';

let server: RestartableNeo4j;
let driver: Driver;
let workDir: string;

before(async () => {
  server = await startRestartableNeo4j();
  const credentials = readNeo4jCredentials(server.env);
  assert.ok(credentials !== undefined);
  driver = createDriver(credentials);
  await ensureSchema(driver, credentials);
  workDir = await mkdtemp(join(tmpdir(), 'matcher-neo4j-restart-'));
});
after(async () => {
  await driver.close();
  await server.dispose();
  await rm(workDir, { recursive: true, force: true });
});

/** The child process of test/neo4j/output-child.ts, with its output lines. */
class Writer {
  readonly acked = new Set<number>();
  private readonly lines: string[] = [];
  private wake: (() => void) | undefined;

  private constructor(readonly process: ChildProcess) {
    if (process.stdout === null) throw new Error('No stdout.');
    createInterface({ input: process.stdout }).on('line', (line) => {
      const acked = /^acked (\d+)$/.exec(line);
      if (acked !== null) this.acked.add(Number(acked[1]));
      this.lines.push(line);
      this.wake?.();
    });
  }

  static async start(stateDir: string, updatesFile: string): Promise<Writer> {
    const { NEO4J_AUTH: _auth, NEO4J_DATABASE: _database, ...env } = process.env;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/neo4j/output-child.ts', stateDir, updatesFile],
      { env: { ...env, ...server.env }, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const writer = new Writer(child);
    await writer.line((l) => l === 'ready');
    return writer;
  }

  send(command: string): void {
    this.process.stdin?.write(`${command}\n`);
  }

  /** The first line (seen or to come) that satisfies `wanted`. */
  async line(wanted: (line: string) => boolean): Promise<string> {
    for (;;) {
      const found = this.lines.find(wanted);
      if (found !== undefined) return found;
      if (this.process.exitCode !== null) throw new Error('The writer exited.');
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async write(index: number): Promise<void> {
    this.send(`write ${index}`);
    await this.line((l) => l === `acked ${index}`);
  }

  /** Highest index such that it and every index before it were acknowledged. */
  contiguousAcked(): number {
    let index = -1;
    while (this.acked.has(index + 1)) index += 1;
    return index;
  }
}

async function spillFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.startsWith('neo4j-spill-')).sort();
}

test('killed with SIGKILL mid-stream while Neo4j is down, a new process drains the spill: every count as expected, nothing twice', async () => {
  const stream = sightingStream({ events: 150, indicators: 3, eventsPerWrite: 5 });
  const batches = stream.batches;
  const updatesFile = join(workDir, 'updates.json');
  await writeFile(updatesFile, serializeBatches(batches));
  const stateDir = join(workDir, 'state');
  const third = Math.floor(batches.length / 3);

  const first = await Writer.start(stateDir, updatesFile);
  for (let i = 0; i < third; i += 1) await first.write(i);
  await server.stop();
  for (let i = third; i < 2 * third; i += 1) await first.write(i);
  // The rest is sent at once and the process killed as soon as one more is acknowledged: mid-stream.
  for (let i = 2 * third; i < batches.length; i += 1) first.send(`write ${i}`);
  await first.line((l) => l === `acked ${2 * third}`);
  first.process.kill('SIGKILL');
  await once(first.process, 'exit');
  const resumeFrom = first.contiguousAcked() + 1;
  assert.ok(resumeFrom > 2 * third && resumeFrom < batches.length, `killed mid-stream (at ${resumeFrom})`);

  const segments = await spillFiles(stateDir);
  assert.ok(segments.length > 0, 'the outage left a spill file');
  // What a kill in the middle of an append leaves: a record cut short at the end of the newest segment.
  const newest = segments[segments.length - 1] ?? '';
  await appendFile(join(stateDir, newest), encodeRecord({ sighting: { type: 'sighting' } }).slice(0, 25));

  await server.start();
  const second = await Writer.start(stateDir, updatesFile);
  // The pipeline resumes after its last committed position: the first batch not acknowledged.
  for (let i = resumeFrom; i < batches.length; i += 1) await second.write(i);
  second.send('finish');
  const drained = await second.line((l) => l.startsWith('drained '));
  second.process.stdin?.end();
  if (second.process.exitCode === null) await once(second.process, 'exit');
  const counters = JSON.parse(drained.slice('drained '.length)) as Record<string, number>;
  assert.equal(counters.spillDepth, 0);
  assert.equal(counters.failed, 0);
  assert.deepEqual(await spillFiles(stateDir), []);
  await assertGraphHoldsStream(driver, stream);
});
