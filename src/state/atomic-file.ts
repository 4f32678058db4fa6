/**
 * Small files in the state directory that must survive a crash whole: written to a temp file, synced,
 * then renamed into place, so a reader finds either the old contents or the new, never half of either.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';

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
