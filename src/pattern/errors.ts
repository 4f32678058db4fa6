/**
 * The one exception the pattern compiler throws for bad input.
 * Any string given to the compiler yields a compiled pattern or a PatternSyntaxError, never another exception.
 */
export class PatternSyntaxError extends Error {
  override readonly name = 'PatternSyntaxError';
  /** 0-based offset of the offending token in the pattern text. */
  readonly offset: number;
  /** 1-based column of the offending token (patterns are one line; a newline counts as one column). */
  readonly column: number;
  /** The offending token as written, or '' at the end of the input. */
  readonly token: string;
  /** What would have been valid here, e.g. ["']'", "'AND'", "'OR'"]; empty when not a matter of grammar. */
  readonly expected: readonly string[];
  /** The diagnostic code (see diagnostics.ts), when the error comes from the parser. */
  readonly code: string | undefined;
  /** 0-based offset just past the offending text. */
  readonly end: number;
  /** How to fix it, when known. */
  readonly hint: string | undefined;

  constructor(
    message: string,
    details: {
      offset: number;
      token: string;
      expected?: readonly string[];
      code?: string;
      end?: number;
      hint?: string;
    },
  ) {
    super(message);
    this.offset = details.offset;
    this.column = details.offset + 1;
    this.token = details.token;
    this.expected = details.expected ?? [];
    this.code = details.code;
    this.end = details.end ?? details.offset + details.token.length;
    this.hint = details.hint;
  }
}

/** A search for bindings stopped at the `maxSteps` it was given (the bindings yielded before it stand). */
export class SearchLimitError extends Error {
  override readonly name = 'SearchLimitError';
  constructor(readonly maxSteps: number) {
    super(`the search for bindings tried ${maxSteps} combinations and stopped`);
  }
}
