import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits `ms` milliseconds, or less when `signal` aborts (it then resolves, never rejects).
 * Injected wherever the sources wait, so tests can run reconnects without waiting.
 */
export type Delay = (ms: number, signal: AbortSignal) => Promise<void>;

export const realDelay: Delay = async (ms, signal) => {
  if (signal.aborted) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // Aborted: the caller checks its own stop signal next.
  }
};

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Exponential backoff: doubles from `initialMs` up to `maxMs`, back to `initialMs` after `reset()`. */
export class Backoff {
  private nextMs: number;

  constructor(private readonly options: BackoffOptions) {
    this.nextMs = options.initialMs;
  }

  /** The delay to wait now; the following one is twice as long. */
  next(): number {
    const current = this.nextMs;
    this.nextMs = Math.min(this.options.maxMs, current * 2);
    return current;
  }

  reset(): void {
    this.nextMs = this.options.initialMs;
  }
}
