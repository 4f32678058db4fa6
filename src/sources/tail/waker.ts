/**
 * Wakes the tail loop when the file may have changed: on a file system event, at each poll interval,
 * or on stop. A wake that comes while the loop is busy is remembered, so no change is missed.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Timers } from '../timers.js';

export class Waker {
  private wakeWaiter: (() => void) | undefined;
  private woken = false;
  private watcher: FSWatcher | undefined;

  constructor(
    private readonly timers: Timers,
    private readonly pollIntervalMs: number,
  ) {}

  /** Something may have changed. */
  wake(): void {
    const waiter = this.wakeWaiter;
    this.wakeWaiter = undefined;
    if (waiter === undefined) this.woken = true;
    else waiter();
  }

  /** Resolves at the next wake or after the poll interval, whichever comes first. */
  wait(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const handle = this.timers.setTimeout(() => {
        this.wakeWaiter = undefined;
        resolve();
      }, this.pollIntervalMs);
      this.wakeWaiter = () => {
        this.timers.clearTimeout(handle);
        resolve();
      };
    });
  }

  /** Wakes on file system events about the given files (watching their directory, which survives renames). */
  watch(paths: readonly string[], onError: (directory: string, error: unknown) => void): void {
    const directory = dirname(paths[0] ?? '.');
    const names = new Set(paths.map((path) => basename(path)));
    try {
      this.watcher = watch(directory, { persistent: false }, (_event, name) => {
        if (name === null || names.has(name)) this.wake();
      });
      this.watcher.on('error', (error) => {
        onError(directory, error);
        this.unwatch();
      });
    } catch (error) {
      onError(directory, error);
    }
  }

  get watching(): boolean {
    return this.watcher !== undefined;
  }

  unwatch(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
