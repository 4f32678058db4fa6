/** What every source element's `build(config, ctx)` receives, and how it reports a bad config. */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Timers } from './timers.js';

export interface SourceContext {
  /** The element's logger; the source adds `{ component, id }` itself. */
  readonly logger: Logger;
  /** The process's standard input, for the `stdin` source and `-` among files. */
  readonly stdin?: AsyncIterable<string | Uint8Array>;
  /** Timers for polls and periodic saves; the system's by default. */
  readonly timers?: Timers;
}

/** A source config that cannot work; the message names the setting and what is wrong with it. */
export class SourceConfigError extends Error {
  override readonly name = 'SourceConfigError';
}

/** Parses `input` with `schema`, throwing a `SourceConfigError` that names the element and every bad setting. */
export function parseSourceConfig<Schema extends z.ZodType>(
  element: string,
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new SourceConfigError(`Invalid ${element} source config:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
