/** `matcher run` as a child process (the real CLI through tsx), for the tests that signal it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { parseExposition, sampleValue } from '../server/exposition.js';
import { root, type LogLine } from './harness.js';

export interface Child {
  readonly process: ChildProcess;
  lines(): LogLine[];
  until(predicate: (lines: LogLine[]) => boolean, what: string): Promise<LogLine[]>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `matcher run` as a child process, its stdout parsed as JSON lines (every line must be one). */
export function spawnRun(args: readonly string[], env: Readonly<Record<string, string>> = {}): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exit = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const lines = (): LogLine[] =>
    out
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as LogLine);
  const until = async (predicate: (lines: LogLine[]) => boolean, what: string): Promise<LogLine[]> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const current = lines();
      if (predicate(current)) return current;
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`Waiting for ${what}: stdout:\n${out.slice(-3000)}\nstderr:\n${err.slice(-3000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { process: child, lines, until, exit };
}

export async function linesRead(child: Child, source: string): Promise<number> {
  const listening = (await child.until((l) => l.some((x) => x.code === 'HTTP_LISTENING'), 'HTTP')).find(
    (x) => x.code === 'HTTP_LISTENING',
  );
  const response = await fetch(`http://127.0.0.1:${String(listening?.port)}/metrics`);
  return (
    sampleValue(parseExposition(await response.text()), 'matcher_source_lines_read_total', { source }) ?? 0
  );
}

export async function linesReadWhen(child: Child, source: string, expected: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await linesRead(child, source)) !== expected) {
    if (Date.now() > deadline) throw new Error(`Expected ${expected} lines read from ${source}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
