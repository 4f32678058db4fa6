import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/cli/command.js';

/** A CliIO whose output is collected in memory, for calling `main` in-process. */
export function memoryIO(
  input = '',
  env: Record<string, string | undefined> = {},
): CliIO & {
  out(): string;
  err(): string;
} {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const stdin = new PassThrough();
  stdin.end(input);
  return {
    stdout,
    stderr,
    stdin,
    env,
    out: () => Buffer.concat(out).toString('utf8'),
    err: () => Buffer.concat(err).toString('utf8'),
  };
}
