import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensurePythonVenv } from '../../helpers/python.js';
import type { StixVersion } from '../conformance/case.js';

/** The reference matcher's version: the differential test and the conformance cross-check pin it. */
export const REFERENCE_REQUIREMENT = 'stix2-matcher==3.0.0';

export interface ReferenceRequest {
  readonly pattern: string;
  readonly observations: readonly unknown[];
  readonly version: StixVersion;
}

/** What the reference said: a match result, or an error while parsing ('syntax') or matching ('match'). */
export interface ReferenceMatch {
  readonly matched: boolean;
}
export interface ReferenceFailure {
  readonly error: string;
  readonly kind: 'syntax' | 'match';
}
export type ReferenceAnswer = ReferenceMatch | ReferenceFailure;

/**
 * One long-lived Python process running stix2-matcher (reference.py), asked one JSON line at a time.
 * Answers come back in order, so pending requests are a FIFO queue.
 */
export class ReferenceMatcher {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending: ((answer: ReferenceAnswer) => void)[] = [];
  #failure: Error | undefined;

  private constructor(python: string) {
    this.#child = spawn(python, [join(import.meta.dirname, 'reference.py')], { stdio: 'pipe' });
    const stderr: string[] = [];
    this.#child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      this.#pending.shift()?.(JSON.parse(line) as ReferenceAnswer);
    });
    this.#child.on('exit', (code) => {
      this.#failure = new Error(`The reference process exited (${code ?? 'signal'}): ${stderr.join('')}`);
      for (const resolve of this.#pending.splice(0)) resolve({ error: this.#failure.message, kind: 'match' });
    });
  }

  /** Installs stix2-matcher into .cache/ on first use, then starts the process. */
  static start(): ReferenceMatcher {
    return new ReferenceMatcher(ensurePythonVenv('stix2-matcher', [REFERENCE_REQUIREMENT]));
  }

  ask(request: ReferenceRequest): Promise<ReferenceAnswer> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve) => {
      this.#pending.push(resolve);
      this.#child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#child.exitCode !== null) {
        resolve();
        return;
      }
      this.#child.once('exit', () => {
        resolve();
      });
      this.#child.stdin.end();
    });
  }
}

export function isReferenceError(answer: ReferenceAnswer): answer is ReferenceFailure {
  return 'error' in answer;
}
