#!/usr/bin/env node
// Runs the test suite: every test/**/*.test.ts (or those under the paths given), TypeScript through tsx.
// When integration tests are selected and NEO4J_URI is not set, a local Neo4j is started for them
// (scripts/neo4j.mjs) and stopped afterwards.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = join(import.meta.dirname, '..');

function collect(path) {
  const stat = statSync(path);
  if (stat.isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .filter((name) => name !== 'fixtures' && name !== 'node_modules')
    .sort()
    .flatMap((name) => collect(join(path, name)));
}

const targets = process.argv.slice(2);
const files = (targets.length > 0 ? targets : ['test']).flatMap((t) => collect(join(root, t)));
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}

const needsNeo4j = files.some((f) => relative(root, f).split(sep).includes('integration'));
let neo4j;
if (needsNeo4j && !process.env.NEO4J_URI) {
  const { startNeo4j } = await import('./neo4j.mjs');
  neo4j = await startNeo4j({ log: (line) => console.error(`[neo4j] ${line}`) });
  Object.assign(process.env, neo4j.env);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...files.map((f) => relative(root, f))],
  { cwd: root, stdio: 'inherit', env: process.env },
);
const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
if (neo4j) await neo4j.stop();
process.exit(code);
