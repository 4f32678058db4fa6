/**
 * The benchmarks read their lines from a real file, as the daemon does, through the LineSplitter every
 * source uses; the bare-parse loop and the pipeline read the same file the same way, so the reading
 * costs the same on both sides of the ratio.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { LineSplitter } from '../src/sources/lines.js';

const READ_BYTES = 256 * 1024;

/** Writes the lines to `path` a thousand at a time, so the writer never holds them all. */
export function writeLinesFile(path: string, lines: Iterable<string>): number {
  const fd = openSync(path, 'w');
  let count = 0;
  try {
    let batch: string[] = [];
    for (const line of lines) {
      batch.push(line);
      count += 1;
      if (batch.length === 1_000) {
        writeSync(fd, `${batch.join('\n')}\n`);
        batch = [];
      }
    }
    if (batch.length > 0) writeSync(fd, `${batch.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  return count;
}

/** Calls `visit` with each line of the file (at most `limit`), read in large chunks; returns how many. */
export function forEachFileLine(path: string, visit: (text: string) => void, limit = Infinity): number {
  const splitter = new LineSplitter();
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  const fd = openSync(path, 'r');
  let count = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, READ_BYTES, null);
      const results = read === 0 ? splitter.end() : splitter.push(buffer.subarray(0, read));
      for (const result of results) {
        if (result.kind !== 'line') continue;
        visit(result.text);
        count += 1;
        if (count >= limit) return count;
      }
      if (read === 0) return count;
    }
  } finally {
    closeSync(fd);
  }
}
