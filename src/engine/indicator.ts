import type { StixObject } from '../contracts.js';
import {
  compileComparisonExpression,
  compileParsedPattern,
  parsePattern,
  PatternSyntaxError,
  type CompiledComparisonExpression,
  type CompiledPattern,
  type ObservationView,
  type Pattern,
} from '../pattern/index.js';
import { patternShape, type PatternShape } from './pattern-shape.js';

/** The STIX properties of an indicator that decide whether and when it applies. */
export interface IndicatorSource {
  readonly id: string;
  readonly name?: string;
  readonly pattern: string;
  readonly pattern_type: string;
  readonly pattern_version?: string;
  readonly valid_from: string;
  readonly valid_until?: string;
  readonly revoked?: boolean;
  readonly modified?: string;
}

/** An indicator ready to evaluate: its pattern compiled once, its leaves as predicates over one observation. */
export interface ActiveIndicator {
  readonly id: string;
  readonly name?: string;
  readonly pattern: string;
  /**
   * The whole pattern compiled for batch evaluation. A lone `[ … ]`, which the engine decides with its leaf
   * predicate alone, is compiled on first read: most indicators never are, which halves the memory and the
   * time a large set takes to load.
   */
  readonly compiled: CompiledPattern;
  readonly shape: PatternShape;
  /** One predicate per `[ … ]`: an observation is relevant to the indicator when one of them holds. */
  readonly leafTests: readonly ((view: ObservationView) => boolean)[];
  /** The same `[ … ]` compiled, with the object types a satisfying root can have (for the index). */
  readonly leafCompiled: readonly CompiledComparisonExpression[];
  /** Event times the indicator applies to: valid_from inclusive, valid_until exclusive. */
  readonly validFromMs: number;
  readonly validUntilMs: number;
  readonly source: IndicatorSource;
}

export type IndicatorRejection =
  | { readonly id: string; readonly reason: 'not-stix'; readonly message: string }
  | { readonly id: string; readonly reason: 'revoked'; readonly message: string }
  | {
      readonly id: string;
      readonly reason: 'invalid-pattern';
      readonly message: string;
      readonly error: PatternSyntaxError;
    };

/** Compiles an indicator, or says why it cannot run: another pattern language, revoked, or a broken pattern. */
export function activateIndicator(source: IndicatorSource): ActiveIndicator | IndicatorRejection {
  if (source.pattern_type !== 'stix') {
    return {
      id: source.id,
      reason: 'not-stix',
      message: `pattern_type is '${source.pattern_type}', not 'stix'`,
    };
  }
  if (source.revoked === true)
    return { id: source.id, reason: 'revoked', message: 'the indicator is revoked' };
  const stixVersion = source.pattern_version?.startsWith('2.0') === true ? '2.0' : '2.1';
  const text = source.pattern;
  let ast: Pattern;
  let shape: PatternShape;
  let leafCompiled: CompiledComparisonExpression[];
  let compiled: CompiledPattern | undefined;
  try {
    ast = parsePattern(text, { stixVersion });
    shape = patternShape(ast);
    // Every comparison lies in a leaf, so compiling the leaves finds every unusable constant.
    leafCompiled = shape.leaves.map((leaf) => compileComparisonExpression(leaf, { patternText: text }));
    // Patterns of several observations, or with qualifiers, are evaluated through it: compiled now.
    if (ast.kind !== 'observation') compiled = compileParsedPattern(ast, text, { stixVersion });
  } catch (error) {
    if (!(error instanceof PatternSyntaxError)) throw error;
    return { id: source.id, reason: 'invalid-pattern', message: error.message, error };
  }
  return {
    id: source.id,
    ...(source.name === undefined ? {} : { name: source.name }),
    pattern: text,
    get compiled() {
      compiled ??= compileParsedPattern(ast, text, { stixVersion });
      return compiled;
    },
    shape,
    leafTests: leafCompiled.map((leaf) => leaf.test),
    leafCompiled,
    validFromMs: Date.parse(source.valid_from),
    validUntilMs:
      source.valid_until === undefined ? Number.POSITIVE_INFINITY : Date.parse(source.valid_until),
    source,
  };
}

/** The STIX bundle the pattern compiler's batch evaluation takes for these observations. */
export function asBundles(
  observations: readonly { observedData: StixObject; objects: ReadonlyMap<string, StixObject> }[],
): unknown[] {
  return observations.map((o) => ({
    type: 'bundle',
    id: `bundle--${o.observedData.id.slice(15)}`,
    objects: [o.observedData, ...o.objects.values()],
  }));
}
