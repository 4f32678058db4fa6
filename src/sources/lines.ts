/**
 * Splits a byte stream into lines: the one line splitter every source uses.
 *
 * Bytes are held until their newline arrives, so a UTF-8 character or a `\r\n` split across chunks
 * decodes correctly. A line longer than `maxLineBytes` is not held in memory: its bytes are skipped up
 * to the next newline and it is reported as `too-long`, keeping line numbers and offsets right.
 */

/** 1 MiB: the longest line kept unless configured otherwise. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

export interface LineSplitterOptions {
  /** Longest line kept, in bytes, not counting its `\n` or `\r\n`. */
  readonly maxLineBytes?: number;
  /** Byte offset of the first byte pushed, when resuming inside a stream (default 0). */
  readonly startOffset?: number;
  /** Number of lines before the first byte pushed, when resuming inside a stream (default 0). */
  readonly startLine?: number;
}

/** A complete line, without its terminator. */
export interface SplitLine {
  readonly kind: 'line';
  readonly text: string;
  /** 1-based line number in the stream. */
  readonly line: number;
  /** Byte offset just past the line's terminator: where reading resumes after it. */
  readonly endOffset: number;
  /** Bytes the line took in the stream, terminator included. */
  readonly bytes: number;
}

/** A line over `maxLineBytes`, skipped; only its position and size are kept. */
export interface OversizedLine {
  readonly kind: 'too-long';
  readonly line: number;
  readonly endOffset: number;
  /** Bytes the line took in the stream, terminator included. */
  readonly bytes: number;
}

export type SplitResult = SplitLine | OversizedLine;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export class LineSplitter {
  private readonly maxLineBytes: number;
  private offset: number;
  private lineNumber: number;
  /** Copies of the bytes of the unfinished line (the caller may reuse its chunk buffers). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set while skipping the rest of an oversized line. */
  private skipping = false;

  constructor(options: LineSplitterOptions = {}) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isSafeInteger(this.maxLineBytes) || this.maxLineBytes < 1) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${String(options.maxLineBytes)}.`);
    }
    this.offset = options.startOffset ?? 0;
    this.lineNumber = options.startLine ?? 0;
  }

  /** Byte offset just past the last byte pushed. */
  get consumedOffset(): number {
    return this.offset;
  }

  /** Byte offset just past the last complete line: where a reader would resume. */
  get lineEndOffset(): number {
    return this.offset - this.partialBytes;
  }

  /** Bytes of an unfinished line (held or skipped) waiting for their newline. */
  get partialBytes(): number {
    return this.pendingBytes;
  }

  /** Bytes actually kept in memory for the unfinished line (0 while skipping an oversized one). */
  get heldBytes(): number {
    return this.skipping ? 0 : this.pendingBytes;
  }

  /** Number of the last line returned. */
  get lastLine(): number {
    return this.lineNumber;
  }

  /** Feeds bytes; returns the lines they complete, in order. */
  push(chunk: Uint8Array): SplitResult[] {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const results: SplitResult[] = [];
    let start = 0;
    while (start < bytes.length) {
      const newline = bytes.indexOf(NEWLINE, start);
      if (newline === -1) {
        this.hold(bytes, start, bytes.length);
        this.offset += bytes.length - start;
        break;
      }
      this.offset += newline + 1 - start;
      results.push(this.finishLine(bytes, start, newline, 1));
      start = newline + 1;
    }
    return results;
  }

  /** The stream has ended: returns its last line if it had no newline. */
  end(): SplitResult[] {
    if (this.pendingBytes === 0 && !this.skipping) return [];
    return [this.finishLine(Buffer.alloc(0), 0, 0, 0)];
  }

  /** Keeps bytes of an unfinished line, or starts skipping once it is certainly too long. */
  private hold(bytes: Buffer, start: number, end: number): void {
    this.pendingBytes += end - start;
    if (this.skipping) return;
    // One byte of slack: a trailing `\r` does not count towards the limit.
    if (this.pendingBytes > this.maxLineBytes + 1) {
      this.pending = [];
      this.skipping = true;
      return;
    }
    this.pending.push(Buffer.from(bytes.subarray(start, end)));
  }

  /** Completes the line made of the held bytes plus `bytes[start, end)`; `terminator` is 1 for `\n`. */
  private finishLine(bytes: Buffer, start: number, end: number, terminator: number): SplitResult {
    const held = this.pendingBytes;
    const skipping = this.skipping;
    this.pendingBytes = 0;
    this.skipping = false;
    this.lineNumber += 1;
    const total = held + (end - start) + terminator;
    const position = { line: this.lineNumber, endOffset: this.offset, bytes: total };
    // One byte of slack for a trailing `\r`; the exact check follows once the line is whole.
    if (skipping || total - terminator > this.maxLineBytes + 1) {
      this.pending = [];
      return { kind: 'too-long', ...position };
    }
    const line = this.pending.length === 0 ? bytes.subarray(start, end) : this.joinPending(bytes, start, end);
    this.pending = [];
    const length =
      line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN ? line.length - 1 : line.length;
    if (length > this.maxLineBytes) return { kind: 'too-long', ...position };
    return { kind: 'line', text: line.toString('utf8', 0, length), ...position };
  }

  private joinPending(bytes: Buffer, start: number, end: number): Buffer {
    if (end > start) this.pending.push(bytes.subarray(start, end));
    return Buffer.concat(this.pending);
  }
}

/** Splits an async stream of byte chunks into lines; the last line is returned even without a newline. */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  options: LineSplitterOptions = {},
): AsyncGenerator<SplitResult[]> {
  const splitter = new LineSplitter(options);
  for await (const chunk of chunks) {
    const results = splitter.push(chunk);
    if (results.length > 0) yield results;
  }
  const last = splitter.end();
  if (last.length > 0) yield last;
}
