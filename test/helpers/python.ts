import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** How long a test waits for another test file that is creating the same environment. */
const LOCK_WAIT_MS = 300_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `create` while holding a lock directory, so that test files running in parallel do not build
 * the same environment at once; a lock older than LOCK_WAIT_MS is taken as abandoned.
 */
function withLock(lock: string, create: () => void): void {
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() - started > LOCK_WAIT_MS) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      sleep(250);
    }
  }
  try {
    create();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A Python virtual environment under .cache/venv-<name> with exactly these pip requirements,
 * created on first use (the test command installs what it needs itself). Returns the python path.
 */
export function ensurePythonVenv(name: string, requirements: readonly string[]): string {
  const dir = join(root, '.cache', `venv-${name}`);
  const python = join(dir, 'bin', 'python');
  const stamp = join(dir, 'requirements.txt');
  const wanted = [...requirements].sort().join('\n');
  const ready = (): boolean =>
    existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted;
  if (ready()) return python;
  mkdirSync(join(root, '.cache'), { recursive: true });
  withLock(`${dir}.lock`, () => {
    if (ready()) return;
    execFileSync('python3', ['-m', 'venv', '--clear', dir], { stdio: 'inherit' });
    execFileSync(
      python,
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...requirements],
      {
        stdio: 'inherit',
      },
    );
    writeFileSync(stamp, wanted);
  });
  return python;
}
