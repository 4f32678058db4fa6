/**
 * The `files` source: reads files to their end, one after another, then ends (`matcher scan`).
 * `-` is standard input; gzip is decompressed whatever the name. A file that cannot be read is
 * reported and counted, and the next one is read.
 */
import { createReadStream } from 'node:fs';
import type { Logger } from 'pino';
import type { Origin, RawLine } from '../../contracts.js';
import { LineBatcher } from '../batch.js';
import { untilAborted } from '../abort.js';
import { createCounters, snapshotCounters, type SourceCounters } from '../counters.js';
import { describeError, DropReporter } from '../events.js';
import { maybeGunzip } from '../gzip.js';
import { LineSplitter } from '../lines.js';
import type { Source } from '../source.js';
import { STDIN_PATH, type FilesSourceConfig } from './config.js';
import { fileDone, fileUnreadable } from './events.js';

/** How standard input is named in origins and logs. */
export const STDIN_NAME = '<stdin>';

/** A file that could not be read (to its end). */
export interface FileFailure {
  readonly file: string;
  readonly error: string;
}

export class FilesSource implements Source {
  readonly id: string;
  private readonly counts: SourceCounters = createCounters();
  private readonly batcher: LineBatcher;
  private readonly failed: FileFailure[] = [];
  private readonly stopping = new AbortController();

  constructor(
    private readonly config: FilesSourceConfig,
    private readonly logger: Logger,
    private readonly stdin: AsyncIterable<string | Uint8Array> | undefined,
  ) {
    this.id = config.id;
    this.batcher = new LineBatcher(config, this.counts, new DropReporter(logger, config.maxLineBytes));
  }

  async *batches(): AsyncGenerator<readonly RawLine[]> {
    for (const path of this.config.paths) {
      if (this.stopping.signal.aborted) return;
      yield* this.readOne(path);
    }
  }

  /** Nothing to persist: a scan reads its files whole. Kept so the pipeline treats every source alike. */
  commit(_origin: Origin): void {
    // No checkpoints for files read once.
  }

  stop(): Promise<void> {
    this.stopping.abort();
    return Promise.resolve();
  }

  counters(): SourceCounters {
    return snapshotCounters(this.counts);
  }

  /** Files that could not be read to their end, in order. */
  failures(): readonly FileFailure[] {
    return [...this.failed];
  }

  private async *readOne(path: string): AsyncGenerator<readonly RawLine[]> {
    const file = path === STDIN_PATH ? STDIN_NAME : path;
    const origin = { source: this.id, file };
    const splitter = new LineSplitter({ maxLineBytes: this.config.maxLineBytes });
    const linesBefore = this.counts.linesRead;
    try {
      for await (const chunk of maybeGunzip(this.open(path))) {
        yield* this.batcher.toBatches(splitter.push(chunk), origin);
      }
      if (this.stopping.signal.aborted) return;
      yield* this.batcher.toBatches(splitter.end(), origin);
      fileDone(this.logger, file, splitter.lastLine, splitter.consumedOffset);
    } catch (error) {
      this.counts.dropped.unreadable += 1;
      this.failed.push({ file, error: describeError(error) });
      fileUnreadable(this.logger, file, error, this.counts.linesRead - linesBefore);
    }
  }

  private open(path: string): AsyncIterable<Uint8Array> {
    if (path === STDIN_PATH) return untilAborted(asBytes(this.stdin ?? []), this.stopping.signal);
    return untilAborted(this.readFile(path), this.stopping.signal);
  }

  /** The file's chunks; its stream is destroyed on stop, so that a pending read ends at once. */
  private async *readFile(path: string): AsyncGenerator<Uint8Array> {
    const stream = createReadStream(path, { highWaterMark: this.config.readChunkBytes });
    const destroy = (): void => {
      stream.destroy();
    };
    this.stopping.signal.addEventListener('abort', destroy, { once: true });
    try {
      yield* stream as AsyncIterable<Buffer>;
    } finally {
      this.stopping.signal.removeEventListener('abort', destroy);
      stream.destroy();
    }
  }
}

async function* asBytes(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<never>,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}
