/** Ordered teardown: every step runs, even after one fails or overruns its time. */
import type { Logger } from 'pino';

export interface ShutdownStep {
  readonly name: string;
  run(): Promise<void>;
}

/** Resolves 'timeout' when `promise` has not settled by `deadline` (ms since the epoch); rejects as it does. */
export async function beforeDeadline<T>(
  promise: Promise<T>,
  deadline: number,
  now: () => number = Date.now,
): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(
      () => {
        resolve('timeout');
      },
      Math.max(0, deadline - now()),
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the steps in order, each bounded by the deadline; a step that fails or runs out of time is
 * logged and the next one runs anyway. Returns whether every step completed.
 */
export async function runShutdown(
  steps: readonly ShutdownStep[],
  deadline: number,
  logger: Logger,
): Promise<boolean> {
  let clean = true;
  for (const step of steps) {
    try {
      const result = await beforeDeadline(step.run(), deadline);
      if (result === 'timeout') {
        clean = false;
        logger.error({ code: 'SHUTDOWN_STEP_TIMEOUT', step: step.name }, 'Shutdown step ran out of time.');
      }
    } catch (error) {
      clean = false;
      logger.error(
        {
          code: 'SHUTDOWN_STEP_FAILED',
          step: step.name,
          error: error instanceof Error ? error.message : String(error),
        },
        'Shutdown step failed; going on with the next.',
      );
    }
  }
  return clean;
}
