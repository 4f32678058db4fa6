/**
 * The Neo4j output's disk buffer: an append-only log of JSON records, in numbered segment files, each
 * record fsynced before `append` resolves. A record is one line `<byte length> <crc32 hex> <json>`, so a
 * torn last line (a crash in the middle of a write) or a damaged line is detected and skipped, never
 * misread. Segments are never appended to once sealed: the writer seals the active segment, drains the
 * sealed ones in order and removes each once it is written, while new records go to a fresh segment.
 */
import { mkdir, open, readFile, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export interface SpillSegment {
  readonly sequence: number;
  readonly path: string;
}

export interface SpillRead {
  /** The records of the segment, in the order they were appended. */
  readonly records: unknown[];
  /** The last line was cut short (a crash while appending); it is ignored. */
  readonly torn: boolean;
  /** Complete lines whose length or checksum does not match; skipped. */
  readonly damaged: number;
}

const RECORD = /^(\d+) ([0-9a-f]{8}) (.*)$/s;

function checksum(text: string): string {
  return crc32(text).toString(16).padStart(8, '0');
}

/** One record as its line, newline included. */
export function encodeRecord(value: unknown): string {
  const json = JSON.stringify(value);
  return `${Buffer.byteLength(json)} ${checksum(json)} ${json}\n`;
}

/** The value of one line (without its newline), or undefined when its length or checksum is wrong. */
export function decodeRecord(line: string): { value: unknown } | undefined {
  const parts = RECORD.exec(line);
  if (parts === null) return undefined;
  const [, length, sum, json = ''] = parts;
  if (Number(length) !== Buffer.byteLength(json) || sum !== checksum(json)) return undefined;
  try {
    return { value: JSON.parse(json) as unknown };
  } catch {
    return undefined;
  }
}

/** Decodes a segment's text: every complete, intact line, in order. */
export function decodeSegment(text: string): SpillRead {
  const lines = text.split('\n');
  // The text after the last newline is a record cut short, or nothing.
  const tail = lines.pop() ?? '';
  const records: unknown[] = [];
  let damaged = 0;
  for (const line of lines) {
    const decoded = decodeRecord(line);
    if (decoded === undefined) damaged += 1;
    else records.push(decoded.value);
  }
  return { records, torn: tail.length > 0, damaged };
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The spill log in `dir`: segments named `<prefix>-<sequence>.jsonl`. Open it with `SpillLog.open`. */
export class SpillLog {
  private active: { segment: SpillSegment; handle: FileHandle } | undefined;
  /** Appends run one at a time, so records keep their order. */
  private appending: Promise<void> = Promise.resolve();
  private pendingRecords = 0;

  private constructor(
    private readonly dir: string,
    private readonly prefix: string,
    private sealed: SpillSegment[],
    private readonly recordsIn: Map<number, number>,
    private readonly bytesIn: Map<number, number>,
  ) {}

  /** Opens the log; segments left by an earlier run are sealed, to be drained first. */
  static async open(dir: string, prefix = 'neo4j-spill'): Promise<SpillLog> {
    await mkdir(dir, { recursive: true });
    const pattern = new RegExp(`^${prefix}-(\\d{6,})\\.jsonl$`);
    const sealed = (await readdir(dir))
      .flatMap((name) => {
        const match = pattern.exec(name);
        return match === null ? [] : [{ sequence: Number(match[1]), path: join(dir, name) }];
      })
      .sort((a, b) => a.sequence - b.sequence);
    const counts = new Map<number, number>();
    const sizes = new Map<number, number>();
    for (const segment of sealed) {
      const data = await readFile(segment.path);
      counts.set(segment.sequence, decodeSegment(data.toString('utf8')).records.length);
      sizes.set(segment.sequence, data.length);
    }
    return new SpillLog(dir, prefix, sealed, counts, sizes);
  }

  /** Records on disk or being appended, not yet removed. */
  get depth(): number {
    let total = this.pendingRecords;
    for (const count of this.recordsIn.values()) total += count;
    return total;
  }

  /** Bytes of the segment files not yet removed (damaged and torn lines included), as written so far. */
  get bytes(): number {
    let total = 0;
    for (const size of this.bytesIn.values()) total += size;
    return total;
  }

  isEmpty(): boolean {
    return this.depth === 0;
  }

  /** Appends the records and resolves once they are on disk (fsync). */
  append(values: readonly unknown[]): Promise<void> {
    if (values.length === 0) return this.appending;
    this.pendingRecords += values.length;
    const done = this.appending.then(async () => {
      try {
        const { segment, handle } = this.active ?? (await this.startSegment());
        const text = values.map(encodeRecord).join('');
        await handle.write(text);
        await handle.sync();
        this.recordsIn.set(segment.sequence, (this.recordsIn.get(segment.sequence) ?? 0) + values.length);
        this.bytesIn.set(
          segment.sequence,
          (this.bytesIn.get(segment.sequence) ?? 0) + Buffer.byteLength(text),
        );
      } finally {
        this.pendingRecords -= values.length;
      }
    });
    this.appending = done.catch(() => undefined);
    return done;
  }

  /** Closes the active segment for appends (after the appends in progress); the next append starts another. */
  async seal(): Promise<void> {
    await this.appending;
    const active = this.active;
    if (active === undefined) return;
    this.active = undefined;
    await active.handle.close();
    this.sealed.push(active.segment);
  }

  /** Sealed segments, oldest first. */
  sealedSegments(): readonly SpillSegment[] {
    return [...this.sealed];
  }

  async read(segment: SpillSegment): Promise<SpillRead> {
    return decodeSegment(await readFile(segment.path, 'utf8'));
  }

  /** Removes a drained segment. */
  async remove(segment: SpillSegment): Promise<void> {
    await unlink(segment.path);
    this.forget(segment);
    await syncDirectory(this.dir);
  }

  /** Moves a segment that cannot be written out of the way (`.rejected`), keeping it for people to look at. */
  async setAside(segment: SpillSegment): Promise<string> {
    const target = `${segment.path}.rejected`;
    await rename(segment.path, target);
    this.forget(segment);
    await syncDirectory(this.dir);
    return target;
  }

  async close(): Promise<void> {
    await this.appending;
    await this.active?.handle.close();
    if (this.active !== undefined) this.sealed.push(this.active.segment);
    this.active = undefined;
  }

  private forget(segment: SpillSegment): void {
    this.sealed = this.sealed.filter((s) => s.sequence !== segment.sequence);
    this.recordsIn.delete(segment.sequence);
    this.bytesIn.delete(segment.sequence);
  }

  private async startSegment(): Promise<{ segment: SpillSegment; handle: FileHandle }> {
    const last = Math.max(0, ...this.sealed.map((s) => s.sequence), ...this.recordsIn.keys());
    const sequence = last + 1;
    const path = join(this.dir, `${this.prefix}-${String(sequence).padStart(6, '0')}.jsonl`);
    // 'a': append-only; an existing file of that name (none is expected) is never overwritten.
    const handle = await open(path, 'a');
    await syncDirectory(this.dir);
    this.active = { segment: { sequence, path }, handle };
    this.recordsIn.set(sequence, 0);
    return this.active;
  }
}
