/** Log events of the tail source, each with a fixed code. */
import type { Logger } from 'pino';
import { describeError } from '../events.js';

export type TailEventCode =
  | 'TAIL_WAITING'
  | 'TAIL_OPENED'
  | 'TAIL_ROTATED'
  | 'TAIL_TRUNCATED'
  | 'TAIL_UNREADABLE'
  | 'TAIL_WATCH_UNAVAILABLE'
  | 'TAIL_CHECKPOINT_SAVE_FAILED';

export interface OpenedFile {
  readonly file: string;
  readonly fingerprint: string;
  readonly offset: number;
  readonly line: number;
  /** Why reading starts at `offset` (a rotated file left behind starts at its checkpoint, else at 0). */
  readonly from: 'checkpoint' | 'beginning' | 'end' | 'checkpoint-or-beginning';
}

export function waiting(logger: Logger, file: string): void {
  const code: TailEventCode = 'TAIL_WAITING';
  logger.info({ code, file }, 'Waiting for the file to appear with a complete first line.');
}

export function opened(logger: Logger, file: OpenedFile): void {
  const code: TailEventCode = 'TAIL_OPENED';
  logger.info({ code, ...file }, 'Following a file.');
}

export function rotated(logger: Logger, file: string, fingerprint: string, offset: number): void {
  const code: TailEventCode = 'TAIL_ROTATED';
  logger.info({ code, file, fingerprint, offset }, 'The file was rotated; read the old one to its end.');
}

export function truncated(logger: Logger, file: string, offset: number, size: number): void {
  const code: TailEventCode = 'TAIL_TRUNCATED';
  logger.warn({ code, file, offset, size }, 'The file was truncated; reading it again from its start.');
}

export function unreadable(logger: Logger, file: string, error: unknown): void {
  const code: TailEventCode = 'TAIL_UNREADABLE';
  logger.error(
    { code, reason: 'unreadable', intentional: false, file, error: describeError(error) },
    'Could not read the file; retrying at the next poll.',
  );
}

export function watchUnavailable(logger: Logger, directory: string, error: unknown): void {
  const code: TailEventCode = 'TAIL_WATCH_UNAVAILABLE';
  logger.info(
    { code, directory, error: describeError(error) },
    'File system events are unavailable; polling only.',
  );
}

export function checkpointSaveFailed(logger: Logger, file: string, error: unknown): void {
  const code: TailEventCode = 'TAIL_CHECKPOINT_SAVE_FAILED';
  logger.error(
    { code, file, error: describeError(error) },
    'Could not save the checkpoint; retrying at the next interval.',
  );
}
