/**
 * Which lines the pipeline state reflects: per source, per file fingerprint, the offset just past the
 * last line whose events went into the engine and the sightings. After a restart the sources re-read
 * from their checkpoints, which may lag behind the state; the lines up to the restored positions are
 * already in the restored state and must not be counted again.
 */
import type { Origin } from '../contracts.js';

/** Positions kept per source: like the checkpoints, enough for a rotation chain with room to spare. */
export const MAX_POSITIONS_PER_SOURCE = 32;

export interface FileOffset {
  readonly fingerprint: string;
  readonly offset: number;
}

export interface SourcePositions {
  readonly source: string;
  /** Least recently read first. */
  readonly files: readonly FileOffset[];
}

type ByFingerprint = Map<string, number>;

function toMaps(positions: readonly SourcePositions[]): Map<string, ByFingerprint> {
  return new Map(
    positions.map(({ source, files }) => [source, new Map(files.map((f) => [f.fingerprint, f.offset]))]),
  );
}

/** Lines that can be told apart after a restart: a file's fingerprint and the offset past the line. */
function fileOf(origin: Origin): { fingerprint: string; offset: number } | undefined {
  const { fingerprint, offset } = origin;
  return fingerprint === undefined || offset === undefined ? undefined : { fingerprint, offset };
}

export class ReflectedPositions {
  /** What the restored state reflects; a file leaves once a line past its position came (replay over). */
  private readonly restored: Map<string, ByFingerprint>;
  /** What the live state reflects, most recently read file last; saved with the state. */
  private readonly reflected: Map<string, ByFingerprint>;
  /** Per source, the fingerprint of the last line advanced (already last in `reflected`). */
  private readonly lastRead = new Map<string, string>();

  constructor(restored: readonly SourcePositions[] = []) {
    this.restored = toMaps(restored);
    this.reflected = toMaps(restored);
  }

  /**
   * Whether the line is already in the restored state (a replay after a restart). Lines without a
   * fingerprint and offset (stdin, pod logs, the audit webhook) never are.
   */
  isReplay(origin: Origin): boolean {
    if (this.restored.size === 0) return false;
    const file = fileOf(origin);
    const files = this.restored.get(origin.source);
    if (file === undefined || files === undefined) return false;
    const saved = files.get(file.fingerprint);
    if (saved === undefined) return false;
    if (file.offset <= saved) return true;
    // Past the saved position, lines are new; a smaller offset later means the file was rewritten.
    files.delete(file.fingerprint);
    if (files.size === 0) this.restored.delete(origin.source);
    return false;
  }

  /** The line's events are now in the engine and the sightings. */
  advance(origin: Origin): void {
    const file = fileOf(origin);
    if (file === undefined) return;
    let files = this.reflected.get(origin.source);
    if (files === undefined) {
      files = new Map();
      this.reflected.set(origin.source, files);
    }
    // Most recently read last, so the bound drops the files read longest ago.
    if (this.lastRead.get(origin.source) !== file.fingerprint) {
      files.delete(file.fingerprint);
      this.lastRead.set(origin.source, file.fingerprint);
    }
    files.set(file.fingerprint, file.offset);
    if (files.size > MAX_POSITIONS_PER_SOURCE) {
      const oldest = files.keys().next();
      if (oldest.done !== true) files.delete(oldest.value);
    }
  }

  /** For the state file. */
  snapshot(): SourcePositions[] {
    return [...this.reflected].map(([source, files]) => ({
      source,
      files: [...files].map(([fingerprint, offset]) => ({ fingerprint, offset })),
    }));
  }
}
