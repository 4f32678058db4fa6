import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/**
 * A Python virtual environment under .cache/venv-<name> with exactly these pip requirements,
 * created on first use (the test command installs what it needs itself). Returns the python path.
 */
export function ensurePythonVenv(name: string, requirements: readonly string[]): string {
  const dir = join(root, '.cache', `venv-${name}`);
  const python = join(dir, 'bin', 'python');
  const stamp = join(dir, 'requirements.txt');
  const wanted = [...requirements].sort().join('\n');
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return python;
  mkdirSync(join(root, '.cache'), { recursive: true });
  execFileSync('python3', ['-m', 'venv', '--clear', dir], { stdio: 'inherit' });
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...requirements], {
    stdio: 'inherit',
  });
  writeFileSync(stamp, wanted);
  return python;
}
