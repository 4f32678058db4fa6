import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ensurePythonVenv } from '../helpers/python.js';

const script = join(import.meta.dirname, 'reference.py');

export interface MatchCase {
  readonly pattern: string;
  readonly observations: readonly unknown[];
}

export type MatchAnswer = { readonly matched: boolean } | { readonly error: string };

export interface Validation {
  readonly valid: boolean;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

function ask(python: string, request: unknown): unknown {
  const output = execFileSync(python, [script], {
    input: JSON.stringify(request),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.toString('utf8')) as unknown;
}

/** Runs the OASIS reference matcher (stix2-matcher 3.0.0) on each case, in one process. */
export function referenceMatch(cases: readonly MatchCase[]): MatchAnswer[] {
  const python = ensurePythonVenv('stix2-matcher', ['stix2-matcher==3.0.0']);
  return ask(python, { match: cases }) as MatchAnswer[];
}

/** Runs the OASIS validator (stix2-validator 3.3.2) on a bundle file. */
export function referenceValidate(path: string): Validation {
  const python = ensurePythonVenv('stix2-validator', ['stix2-validator==3.3.2']);
  return ask(python, { validate: path }) as Validation;
}
