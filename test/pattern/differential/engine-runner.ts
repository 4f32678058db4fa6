import { fork, type ChildProcess } from 'node:child_process';
import type { EngineAnswer } from './classifiers.js';
import type { CaseInput } from './generator.js';

const WORKER = new URL('./engine-worker.ts', import.meta.url);

/**
 * Our engine in a child process with a time limit per case, so that a case on which it hangs becomes a
 * reported failure instead of a stuck test run. A case over the limit answers a crash ('timeout').
 */
export class EngineRunner {
  #child: ChildProcess;

  constructor(private readonly timeLimitMs: number) {
    this.#child = EngineRunner.#spawn();
  }

  static #spawn(): ChildProcess {
    return fork(WORKER, { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
  }

  answer(input: CaseInput): Promise<EngineAnswer> {
    return new Promise((resolve) => {
      const child = this.#child;
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        child.kill();
        this.#child = EngineRunner.#spawn();
        resolve({ crash: `timeout: no answer within ${this.timeLimitMs} ms` });
      }, this.timeLimitMs);
      const onMessage = (answer: unknown): void => {
        clearTimeout(timer);
        resolve(answer as EngineAnswer);
      };
      child.once('message', onMessage);
      child.send(input);
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
      this.#child.kill();
    });
  }
}
