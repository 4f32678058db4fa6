/**
 * The abstract syntax tree of a STIX pattern (STIX 2.1 Part 9; STIX 2.0 Part 5).
 *
 * Every node carries `start`/`end`: offsets into the pattern text, `end` exclusive.
 * Line and column are derived only when a diagnostic is reported.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A whole pattern is one observation expression. */
export type Pattern = ObservationExpression;

export type ObservationExpression = ObservationLeaf | ObservationBinary | ObservationQualified;

/** `[ comparison-expression ]`: a test against a single observed-data. */
export interface ObservationLeaf extends Span {
  readonly kind: 'observation';
  readonly comparison: ComparisonExpression;
}

/** Observation expressions joined by AND, OR or FOLLOWEDBY (each binds different observed-data). */
export interface ObservationBinary extends Span {
  readonly kind: 'observation-binary';
  readonly operator: ObservationOperator;
  readonly left: ObservationExpression;
  readonly right: ObservationExpression;
}

export type ObservationOperator = 'AND' | 'OR' | 'FOLLOWEDBY';

/** An observation expression followed by a qualifier: WITHIN, REPEATS or START … STOP. */
export interface ObservationQualified extends Span {
  readonly kind: 'observation-qualified';
  readonly expression: ObservationExpression;
  readonly qualifier: Qualifier;
}

export type Qualifier = WithinQualifier | RepeatsQualifier | StartStopQualifier;

export interface WithinQualifier extends Span {
  readonly kind: 'within';
  /** A positive number of seconds (the grammar allows an integer or a float). */
  readonly seconds: number;
}

export interface RepeatsQualifier extends Span {
  readonly kind: 'repeats';
  /** A positive integer. */
  readonly times: number;
}

export interface StartStopQualifier extends Span {
  readonly kind: 'start-stop';
  /** Inclusive. */
  readonly startTime: TimestampConstant;
  /** Exclusive. */
  readonly stopTime: TimestampConstant;
}

export type ComparisonExpression = ComparisonBinary | Comparison;

/** Comparisons joined by AND (binds tighter) or OR, inside one observation expression. */
export interface ComparisonBinary extends Span {
  readonly kind: 'comparison-binary';
  readonly operator: 'AND' | 'OR';
  readonly left: ComparisonExpression;
  readonly right: ComparisonExpression;
}

export type ComparisonOperator =
  '=' | '!=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET' | 'EXISTS';

/** One property test: `path [NOT] op value`, or `[NOT] EXISTS path`. */
export interface Comparison extends Span {
  readonly kind: 'comparison';
  readonly operator: ComparisonOperator;
  /** True when the test is preceded by NOT (`file:name NOT = 'a'`). */
  readonly negated: boolean;
  readonly path: ObjectPath;
  /** A set for IN, no value for EXISTS, a single constant otherwise. */
  readonly value: Constant | SetConstant | null;
}

/** `object-type:step.step[0].step[*]`. */
export interface ObjectPath extends Span {
  readonly objectType: string;
  /** At least one step; the first is always a property. */
  readonly steps: readonly PathStep[];
}

export type PathStep = PropertyStep | IndexStep | AnyIndexStep;

/** A property name, bare or quoted (`'x-foo'`); a `*_ref`/`*_refs` property followed by more steps dereferences. */
export interface PropertyStep extends Span {
  readonly kind: 'property';
  readonly name: string;
}

/** `[n]`, a zero-based list index. */
export interface IndexStep extends Span {
  readonly kind: 'index';
  readonly index: number;
}

/** `[*]`, any element of a list. */
export interface AnyIndexStep extends Span {
  readonly kind: 'any';
}

export type Constant =
  | StringConstant
  | IntegerConstant
  | FloatConstant
  | BooleanConstant
  | TimestampConstant
  | BinaryConstant
  | HexConstant;

export interface StringConstant extends Span {
  readonly kind: 'string';
  /** The value with escapes resolved. */
  readonly value: string;
}

export interface IntegerConstant extends Span {
  readonly kind: 'integer';
  readonly value: number;
  /** The digits as written, for values beyond 2^53. */
  readonly raw: string;
}

export interface FloatConstant extends Span {
  readonly kind: 'float';
  readonly value: number;
}

export interface BooleanConstant extends Span {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export interface TimestampConstant extends Span {
  readonly kind: 'timestamp';
  /** The RFC 3339 text inside `t'…'`, as written. */
  readonly value: string;
}

/** `b'…'`, base64. */
export interface BinaryConstant extends Span {
  readonly kind: 'binary';
  readonly bytes: Uint8Array;
}

/** `h'…'`, hex. */
export interface HexConstant extends Span {
  readonly kind: 'hex';
  readonly bytes: Uint8Array;
}

/** `( c1, c2, … )`, the right-hand side of IN. */
export interface SetConstant extends Span {
  readonly kind: 'set';
  readonly values: readonly Constant[];
}
