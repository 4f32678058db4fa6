/** Log events of the files and stdin sources, each with a fixed code. */
import type { Logger } from 'pino';
import { describeError } from '../events.js';

export type FilesEventCode = 'FILES_UNREADABLE' | 'FILES_DONE';

export function fileUnreadable(logger: Logger, file: string, error: unknown, linesRead: number): void {
  const code: FilesEventCode = 'FILES_UNREADABLE';
  logger.error(
    { code, reason: 'unreadable', intentional: false, file, linesRead, error: describeError(error) },
    'Could not read a file; the remaining files are still read.',
  );
}

export function fileDone(logger: Logger, file: string, lines: number, bytes: number): void {
  const code: FilesEventCode = 'FILES_DONE';
  logger.debug({ code, file, lines, bytes }, 'Read a file to its end.');
}
