/**
 * Small files in the state directory that must survive a crash whole: written to a temp file, synced,
 * then renamed into place, so a reader finds either the old contents or the new, never half of either.
 */
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file's text, or `undefined` when it does not exist (any other error is thrown). */
export async function readFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Replaces `path` with `text` atomically; the temp file sits next to it (same file system, so rename is atomic). */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Removes the temp files that writes of `path` left when their process was killed mid-write (SIGKILL, a
 * node lost): each names its writer's pid, so a restart under another pid would otherwise keep them for
 * ever. A temp file of a process still running is left alone. Returns the names removed.
 */
export async function removeStaleTemporaries(path: string): Promise<string[]> {
  const prefix = `${basename(path)}.`;
  const removed: string[] = [];
  for (const name of await readdir(dirname(path))) {
    const pid = name.startsWith(prefix) ? /^(\d+)\.tmp$/.exec(name.slice(prefix.length))?.[1] : undefined;
    // Our own pid here is an earlier life of this process number (a container's pid 1): nothing of ours is
    // being written while the store loads.
    if (pid === undefined || (Number(pid) !== process.pid && isRunning(Number(pid)))) continue;
    await rm(join(dirname(path), name), { force: true });
    removed.push(name);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
