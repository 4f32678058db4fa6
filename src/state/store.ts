/**
 * The pipeline state file: loaded (and checked) once at start, saved after each flush whose sightings
 * the outputs acknowledged, before the sources commit their positions. So a source's checkpoint never
 * runs ahead of the state, and after a crash every line is either in the restored state or read again.
 */
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { readFileIfExists, removeStaleTemporaries, writeFileAtomically } from './atomic-file.js';
import { decodeState, encodeState, StateContentError, type PipelineStateContent } from './codec.js';
import { ReflectedPositions } from './positions.js';
import { PIPELINE_STATE_VERSION, pipelineStateFileSchema } from './schema.js';

export const PIPELINE_STATE_FILE = 'pipeline-state.json';

export function pipelineStatePath(stateDir: string): string {
  return join(stateDir, PIPELINE_STATE_FILE);
}

/** A state file that exists but cannot be used; starting afresh would count lines twice or lose them. */
export class PipelineStateError extends Error {
  override readonly name = 'PipelineStateError';
}

/** What the pipeline needs of the state: what to restore, which lines it already holds, where to save it. */
export interface PipelineStatePersistence {
  /** What the file held at start; `undefined` when there was none. */
  readonly restored: PipelineStateContent | undefined;
  /** Which lines the state reflects: the restored positions, then moved on by the pipeline. */
  readonly positions: ReflectedPositions;
  /** Serializes `content` at once (it shares live objects) and writes it; rejects if the write fails. */
  save(content: PipelineStateContent): Promise<void>;
}

export class PipelineStateStore implements PipelineStatePersistence {
  readonly positions: ReflectedPositions;
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    readonly restored: PipelineStateContent | undefined,
  ) {
    this.positions = new ReflectedPositions(restored?.positions);
  }

  /** Reads the state at `path` (none yet: nothing restored) and checks that its directory is writable. */
  static async load(path: string): Promise<PipelineStateStore> {
    await mkdir(dirname(path), { recursive: true });
    await access(dirname(path), constants.W_OK);
    await removeStaleTemporaries(path);
    const text = await readFileIfExists(path);
    if (text === undefined) return new PipelineStateStore(path, undefined);
    const fix = 'Fix or remove it (the sources then resume at their checkpoints, with fresh sightings).';
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new PipelineStateError(`Pipeline state file ${path} is not JSON: ${String(error)}. ${fix}`);
    }
    const parsed = pipelineStateFileSchema.safeParse(json);
    if (!parsed.success) {
      throw new PipelineStateError(
        `Pipeline state file ${path} is not a version ${PIPELINE_STATE_VERSION} state: ${z.prettifyError(parsed.error)}\n${fix}`,
      );
    }
    try {
      return new PipelineStateStore(path, decodeState(parsed.data));
    } catch (error) {
      if (!(error instanceof StateContentError)) throw error;
      throw new PipelineStateError(`Pipeline state file ${path} is inconsistent: ${error.message} ${fix}`);
    }
  }

  save(content: PipelineStateContent): Promise<void> {
    const text = `${JSON.stringify(encodeState(content, new Date()))}\n`;
    // One write at a time, in order: a later state never lands before an earlier one.
    const write = this.saving.then(() => writeFileAtomically(this.path, text));
    this.saving = write.catch(() => undefined);
    return write;
  }
}
