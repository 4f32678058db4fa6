/**
 * Where to start reading a file: at its checkpoint if one knows its fingerprint, else at its beginning,
 * or at its end for a file found at first start-up when so configured.
 */
import type { FileHandle } from 'node:fs/promises';
import type { CheckpointStore, FilePosition } from '../checkpoints.js';
import type { TailSourceConfig } from './config.js';
import type { OpenedFile } from './events.js';
import { countLines, lastLineEnd, openIfExists, readFingerprint, TailedFile } from './tailed-file.js';

/** `startup`: the first open; `new`: a file that appeared later; `truncated`: the same file, emptied. */
export type OpenPolicy = 'startup' | 'new' | 'truncated';

export type Opening =
  | { readonly kind: 'opened'; readonly file: TailedFile; readonly from: OpenedFile['from'] }
  | { readonly kind: 'missing' }
  /** The file exists but has no complete first line to fingerprint yet. */
  | { readonly kind: 'not-ready' };

interface Start {
  readonly offset: number;
  readonly line: number;
  readonly from: OpenedFile['from'];
}

export async function openAtStart(
  config: TailSourceConfig,
  checkpoints: CheckpointStore,
  policy: OpenPolicy,
  /** The file just left (rotated or truncated): a new file with the same first line is still new. */
  previousFingerprint?: string,
): Promise<Opening> {
  const handle = await openIfExists(config.path);
  if (handle === undefined) return { kind: 'missing' };
  return withHandle(handle, async () => {
    const fingerprint = await readFingerprint(handle, config.fingerprintBytes);
    if (fingerprint === undefined) return undefined;
    const identity = await handle.stat();
    const known = fingerprint === previousFingerprint ? undefined : checkpoints.get(fingerprint);
    const start = await startOf(handle, known, identity.size, policy, config, checkpoints);
    return opened(config.path, handle, identity, fingerprint, start, config);
  });
}

async function startOf(
  handle: FileHandle,
  known: FilePosition | undefined,
  size: number,
  policy: OpenPolicy,
  config: TailSourceConfig,
  checkpoints: CheckpointStore,
): Promise<Start> {
  // After a truncation the old position means nothing, even if the first line happens to be the same.
  const saved = policy === 'truncated' ? undefined : known;
  if (saved !== undefined && saved.offset <= size) {
    return { offset: saved.offset, line: saved.line, from: 'checkpoint' };
  }
  if (policy === 'startup' && checkpoints.isEmpty && config.startAt === 'end') {
    const offset = await lastLineEnd(handle, size, config.readChunkBytes, config.maxLineBytes + 1);
    return { offset, line: await countLines(handle, offset, config.readChunkBytes), from: 'end' };
  }
  return { offset: 0, line: 0, from: 'beginning' };
}

function opened(
  path: string,
  handle: FileHandle,
  identity: { dev: number; ino: number },
  fingerprint: string,
  start: Start,
  config: TailSourceConfig,
): Opening {
  const file = new TailedFile(path, handle, identity, fingerprint, start, config);
  return { kind: 'opened', file, from: start.from };
}

/** Runs `use` with an open handle, closing it unless a file was opened on it (or on failure). */
async function withHandle(handle: FileHandle, use: () => Promise<Opening | undefined>): Promise<Opening> {
  try {
    const opening = await use();
    if (opening !== undefined) return opening;
  } catch (error) {
    await handle.close();
    throw error;
  }
  await handle.close();
  return { kind: 'not-ready' };
}
