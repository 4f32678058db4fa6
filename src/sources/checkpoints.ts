/**
 * Checkpoints of tailed files: fingerprint → position just past the last committed line.
 * Positions move only forward and only on commit. The file is versioned JSON, written to a temp file,
 * synced, then renamed into place, so a crash leaves either the old or the new checkpoint, never half.
 */
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { readFileIfExists, removeStaleTemporaries, writeFileAtomically } from '../state/atomic-file.js';

export const CHECKPOINT_VERSION = 1;
/** Positions kept per source: enough for a rotation chain (Tetragon keeps 5 backups) with room to spare. */
const MAX_POSITIONS = 32;

const positionSchema = z.strictObject({
  fingerprint: z.string().min(1),
  offset: z.number().int().nonnegative(),
  line: z.number().int().nonnegative(),
  path: z.string().optional(),
  committedAt: z.string(),
});

const checkpointFileSchema = z.strictObject({
  version: z.literal(CHECKPOINT_VERSION),
  source: z.string(),
  positions: z.array(positionSchema),
});

export type FilePosition = z.infer<typeof positionSchema>;

/** A checkpoint file that exists but cannot be used; starting afresh would re-read or skip data. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

export class CheckpointStore {
  /** In commit order, most recent last. */
  private readonly positions = new Map<string, FilePosition>();
  private changed = false;
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly sourceId: string,
  ) {}

  /** Loads the checkpoint at `path` (none yet: empty) and checks that its directory is writable. */
  static async load(path: string, sourceId: string): Promise<CheckpointStore> {
    const store = new CheckpointStore(path, sourceId);
    await mkdir(dirname(path), { recursive: true });
    await access(dirname(path), constants.W_OK);
    await removeStaleTemporaries(path);
    const text = await readFileIfExists(path);
    if (text === undefined) return store;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new CheckpointError(`Checkpoint file ${path} is not JSON: ${String(error)}. Fix or remove it.`);
    }
    const parsed = checkpointFileSchema.safeParse(json);
    if (!parsed.success) {
      throw new CheckpointError(
        `Checkpoint file ${path} is not a version ${CHECKPOINT_VERSION} checkpoint: ${z.prettifyError(parsed.error)}`,
      );
    }
    for (const position of parsed.data.positions) store.positions.set(position.fingerprint, position);
    return store;
  }

  get isEmpty(): boolean {
    return this.positions.size === 0;
  }

  /** Whether positions moved since the last save. */
  get dirty(): boolean {
    return this.changed;
  }

  get(fingerprint: string): FilePosition | undefined {
    return this.positions.get(fingerprint);
  }

  /** The most recently committed position. */
  latest(): FilePosition | undefined {
    return [...this.positions.values()].at(-1);
  }

  /** Moves the position of `fingerprint` forward to `offset` (never back); true if it moved. */
  commit(fingerprint: string, offset: number, line: number, path?: string): boolean {
    const current = this.positions.get(fingerprint);
    if (current !== undefined && current.offset >= offset) return false;
    this.positions.delete(fingerprint);
    this.positions.set(fingerprint, {
      fingerprint,
      offset,
      line,
      path,
      committedAt: new Date().toISOString(),
    });
    this.changed = true;
    return true;
  }

  /** Writes the positions if they moved; saves run one after another, never interleaved. */
  save(): Promise<void> {
    this.saving = this.saving.then(() => this.writeIfChanged());
    return this.saving;
  }

  private async writeIfChanged(): Promise<void> {
    if (!this.changed) return;
    this.changed = false;
    const kept = [...this.positions.values()].slice(-MAX_POSITIONS);
    const body = { version: CHECKPOINT_VERSION, source: this.sourceId, positions: kept };
    try {
      await writeFileAtomically(this.path, `${JSON.stringify(body, null, 2)}\n`);
    } catch (error) {
      this.changed = true;
      throw error;
    }
  }
}
