/**
 * The rotated files (path.1 … path.N, newest first, as Tetragon names its backups). When the reader
 * falls behind by more than one rotation, or was down during one, the files between the one it was
 * reading and the current path are read in order, so nothing is skipped. They are opened at once, which
 * pins them even if rotation moves them again.
 */
import type { Stats } from 'node:fs';
import { stat, type FileHandle } from 'node:fs/promises';
import type { CheckpointStore, FilePosition } from '../checkpoints.js';
import type { TailSourceConfig } from './config.js';
import { openIfExists, readFingerprint, sameFile, TailedFile } from './tailed-file.js';

interface ChainEntry {
  readonly path: string;
  readonly handle: FileHandle;
  readonly identity: Stats;
  readonly fingerprint: string | undefined;
}

export function rotatedPaths(config: TailSourceConfig): string[] {
  return Array.from({ length: config.rotatedFiles }, (_, index) => `${config.path}.${index + 1}`);
}

/** After `finished` was read to its end: the rotated files newer than it, oldest first. */
export async function backlogAfterRotation(
  config: TailSourceConfig,
  checkpoints: CheckpointStore,
  finished: Pick<Stats, 'dev' | 'ino'>,
): Promise<TailedFile[]> {
  // The usual case, checked cheaply: the finished file is the newest rotated one, nothing to catch up.
  const newest = await stat(`${config.path}.1`).catch(() => undefined);
  if (newest !== undefined && sameFile(newest, finished)) return [];
  const chain = await openChain(config);
  const index = chain.findIndex((entry) => sameFile(entry.identity, finished));
  return keep(chain, index, checkpoints, config);
}

/** At start-up: the rotated file holding the last checkpoint, from there, then the newer ones. */
export async function backlogAtStartup(
  config: TailSourceConfig,
  checkpoints: CheckpointStore,
): Promise<TailedFile[]> {
  const latest = checkpoints.latest();
  if (
    latest === undefined ||
    (await fingerprintAt(config.path, config.fingerprintBytes)) === latest.fingerprint
  ) {
    return [];
  }
  const chain = await openChain(config);
  const index = chain.findIndex((entry) => entry.fingerprint === latest.fingerprint);
  return keep(chain, index, checkpoints, config, latest);
}

/** The entries newer than `index` (and `index` itself when resuming it), oldest first; closes the others. */
async function keep(
  chain: readonly ChainEntry[],
  index: number,
  checkpoints: CheckpointStore,
  config: TailSourceConfig,
  resumeAt?: FilePosition,
): Promise<TailedFile[]> {
  const kept: TailedFile[] = [];
  for (const [position, entry] of chain.entries()) {
    const start = startOf(entry, position === index ? resumeAt : undefined, checkpoints);
    const wanted = index !== -1 && (position < index || (position === index && resumeAt !== undefined));
    if (!wanted || entry.fingerprint === undefined || start.offset >= entry.identity.size) {
      await entry.handle.close();
      continue;
    }
    kept.unshift(
      new TailedFile(entry.path, entry.handle, entry.identity, entry.fingerprint, start, config, true),
    );
  }
  return kept;
}

function startOf(
  entry: ChainEntry,
  resumeAt: FilePosition | undefined,
  checkpoints: CheckpointStore,
): { offset: number; line: number } {
  const saved =
    resumeAt ?? (entry.fingerprint === undefined ? undefined : checkpoints.get(entry.fingerprint));
  return saved !== undefined && saved.offset <= entry.identity.size ? saved : { offset: 0, line: 0 };
}

/** Scans that met a rotation in progress are retried; rotation is a few renames, so this settles fast. */
const MAX_CHAIN_SCANS = 10;

/**
 * Opens every rotated file that exists, newest first. A rotation in the middle of the scan could show one
 * file twice or hide one, so the scan is repeated until every path still holds the file opened from it.
 */
async function openChain(config: TailSourceConfig): Promise<ChainEntry[]> {
  for (let scan = 1; ; scan++) {
    const chain = await scanChain(config);
    if (scan >= MAX_CHAIN_SCANS || (await isSettled(config, chain))) return chain;
    await Promise.all(chain.map((entry) => entry.handle.close()));
  }
}

async function scanChain(config: TailSourceConfig): Promise<ChainEntry[]> {
  const chain: ChainEntry[] = [];
  for (const path of rotatedPaths(config)) {
    const handle = await openIfExists(path);
    if (handle === undefined) continue;
    try {
      const identity = await handle.stat();
      const fingerprint = await readFingerprint(handle, config.fingerprintBytes);
      chain.push({ path, handle, identity, fingerprint });
    } catch (error) {
      await handle.close();
      await Promise.all(chain.map((entry) => entry.handle.close()));
      throw error;
    }
  }
  return chain;
}

/** Whether each rotated path still holds the file opened from it (or still nothing), with no file twice. */
async function isSettled(config: TailSourceConfig, chain: readonly ChainEntry[]): Promise<boolean> {
  const opened = new Map(chain.map((entry) => [entry.path, entry.identity]));
  for (const path of rotatedPaths(config)) {
    const now = await stat(path).catch(() => undefined);
    const then = opened.get(path);
    if ((now === undefined) !== (then === undefined)) return false;
    if (now !== undefined && then !== undefined && !sameFile(now, then)) return false;
  }
  return new Set(chain.map((entry) => `${entry.identity.dev}:${entry.identity.ino}`)).size === chain.length;
}

async function fingerprintAt(path: string, maxBytes: number): Promise<string | undefined> {
  const handle = await openIfExists(path);
  if (handle === undefined) return undefined;
  try {
    return await readFingerprint(handle, maxBytes);
  } finally {
    await handle.close();
  }
}
