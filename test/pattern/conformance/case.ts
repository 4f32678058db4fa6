/**
 * A conformance case: one rule of the STIX patterning specification, checked on one input.
 * Cases are data so that the same list runs against our engine and against the reference matcher.
 */
export type StixVersion = '2.0' | '2.1';

export interface ExpectedError {
  /** 1-based column of the offending token. */
  readonly column: number;
  /** The offending token as written ('' at the end of the input), when the case pins it. */
  readonly token?: string;
}

export interface ConformanceCase {
  /** '<section> <title>: <the rule in a few words>'. */
  readonly rule: string;
  readonly pattern: string;
  /** 2.1: STIX bundles; 2.0: observed-data objects with embedded `objects`. */
  readonly observations: readonly unknown[];
  readonly stixVersion?: StixVersion;
  /** The specification's answer. */
  readonly expect: boolean | { readonly error: ExpectedError };
  /**
   * Set when the reference matcher (stix2-matcher 3.0.0) is known to answer differently:
   * the id of the deviation in docs/conformance.md. The reference cross-check asserts that it still does.
   */
  readonly referenceDeviation?: string;
}

export interface CaseOptions {
  readonly stixVersion?: StixVersion;
  readonly referenceDeviation?: string;
}

/** A case factory for one spec section: `section('9.6.1 Comparison Operators')('= on equal strings', …)`. */
export function section(title: string) {
  return (
    rule: string,
    pattern: string,
    observations: readonly unknown[],
    expect: ConformanceCase['expect'],
    options: CaseOptions = {},
  ): ConformanceCase => ({ rule: `${title}: ${rule}`, pattern, observations, expect, ...options });
}

/** The expectation of a syntax error at a 1-based column, optionally pinning the offending token. */
export function syntaxError(column: number, token?: string): { readonly error: ExpectedError } {
  return { error: token === undefined ? { column } : { column, token } };
}
