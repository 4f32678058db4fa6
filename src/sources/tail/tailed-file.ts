/**
 * One open file being followed: its handle, identity (inode and fingerprint) and read position.
 * Reads go by position through the handle, so a file renamed away is still read to its end.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { LineSplitter, type SplitResult } from '../lines.js';

const NEWLINE = 0x0a;

export interface ReadOptions {
  readonly maxLineBytes: number;
  readonly readChunkBytes: number;
  readonly fingerprintBytes: number;
}

/** Opens `path` for reading; `undefined` if it does not exist. */
export async function openIfExists(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/**
 * A checksum of the file's first line, or of its first `maxBytes` bytes if the line is longer;
 * `undefined` while the file has neither (it cannot be told apart from another file yet).
 */
export async function readFingerprint(handle: FileHandle, maxBytes: number): Promise<string | undefined> {
  const buffer = Buffer.alloc(maxBytes);
  const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
  const newline = buffer.subarray(0, bytesRead).indexOf(NEWLINE);
  const length = newline === -1 ? bytesRead : newline + 1;
  if (newline === -1 && bytesRead < maxBytes) return undefined;
  return createHash('sha256').update(buffer.subarray(0, length)).digest('hex').slice(0, 32);
}

/** The offset just past the last newline before `size`, looking back at most `limitBytes`; else `size`. */
export async function lastLineEnd(
  handle: FileHandle,
  size: number,
  chunkBytes: number,
  limitBytes: number,
): Promise<number> {
  const buffer = Buffer.alloc(chunkBytes);
  let end = size;
  while (end > 0 && size - end <= limitBytes) {
    const start = Math.max(0, end - chunkBytes);
    const { bytesRead } = await handle.read(buffer, 0, end - start, start);
    const newline = buffer.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (newline !== -1) return start + newline + 1;
    end = start;
  }
  // No newline at all: the file is one unfinished line, read it whole. Else an oversized line is being written.
  return end === 0 ? 0 : size;
}

/** The number of newlines before `end`. */
export async function countLines(handle: FileHandle, end: number, chunkBytes: number): Promise<number> {
  const buffer = Buffer.alloc(chunkBytes);
  let lines = 0;
  for (let position = 0; position < end;) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(chunkBytes, end - position), position);
    if (bytesRead === 0) break;
    for (let i = buffer.indexOf(NEWLINE); i !== -1 && i < bytesRead; i = buffer.indexOf(NEWLINE, i + 1))
      lines += 1;
    position += bytesRead;
  }
  return lines;
}

export function sameFile(a: Pick<Stats, 'dev' | 'ino'>, b: Pick<Stats, 'dev' | 'ino'>): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

export class TailedFile {
  private readonly splitter: LineSplitter;
  private readonly buffer: Buffer;

  constructor(
    /** The path it was opened under, reported in origins even after a rename. */
    readonly path: string,
    readonly handle: FileHandle,
    readonly identity: Pick<Stats, 'dev' | 'ino'>,
    readonly fingerprint: string,
    start: { readonly offset: number; readonly line: number },
    private readonly options: ReadOptions,
    /** Opened from the rotated files: it will not grow any more once the writer has moved on. */
    readonly rotated = false,
  ) {
    this.splitter = new LineSplitter({
      maxLineBytes: options.maxLineBytes,
      startOffset: start.offset,
      startLine: start.line,
    });
    this.buffer = Buffer.alloc(options.readChunkBytes);
  }

  /** Number of the last line read. */
  get line(): number {
    return this.splitter.lastLine;
  }

  /** Offset of the next byte to read. */
  get position(): number {
    return this.splitter.consumedOffset;
  }

  /** The lines completed by the next chunk; `undefined` at the end of the file (for now). */
  async read(): Promise<SplitResult[] | undefined> {
    const { bytesRead } = await this.handle.read(this.buffer, 0, this.buffer.length, this.position);
    if (bytesRead === 0) return undefined;
    return this.splitter.push(this.buffer.subarray(0, bytesRead));
  }

  /** The file will not grow any more (it was rotated away): its unfinished last line, if any. */
  finish(): SplitResult[] {
    return this.splitter.end();
  }

  /** Whether the file, still at the same inode, was truncated or rewritten from its start. */
  async wasTruncated(): Promise<{ size: number } | undefined> {
    const { size } = await this.handle.stat();
    if (size < this.position) return { size };
    const fingerprint = await readFingerprint(this.handle, this.options.fingerprintBytes);
    return fingerprint !== undefined && fingerprint !== this.fingerprint ? { size } : undefined;
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
