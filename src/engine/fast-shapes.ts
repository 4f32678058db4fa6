/**
 * The common multi-observation shapes, matched by counting and comparing times instead of asking the batch
 * oracle: `[x] REPEATS n TIMES [WITHIN s SECONDS]`, the same over two `[ … ]` joined by OR, AND or FOLLOWEDBY
 * (repeated-pairs.ts), and two `[ … ]` joined by AND, OR or FOLLOWEDBY, with an optional WITHIN. They hold only for observations at one
 * instant observed once (first_observed equal to last_observed, number_observed 1), which is what the
 * sensors produce; anything else goes to the oracle.
 */
import type { Observation } from '../contracts.js';
import type { ObservationExpression } from '../pattern/index.js';
import { repeatedPairParticipants, type PairOperator } from './repeated-pairs.js';

/**
 * What REPEATS repeats: one observation (`[x]`, or `[x] OR [y]`, where any kept one serves), or a pair of
 * distinct observations, one for each side of `[x] AND [y]` or `[x] FOLLOWEDBY [y]`.
 */
export type RepeatedUnit = 'observation' | PairOperator;

export type FastShape =
  | {
      readonly kind: 'repeats';
      readonly times: number;
      readonly withinMs: number | undefined;
      readonly unit: RepeatedUnit;
    }
  | {
      readonly kind: 'pair';
      readonly operator: 'AND' | 'OR' | 'FOLLOWEDBY';
      readonly withinMs: number | undefined;
    };

/** One kept observation, with which `[ … ]` of the pattern it satisfies (bit i: leaf i). */
export interface Kept {
  readonly observation: Observation;
  readonly leaves: number;
}

export function fastShapeOf(pattern: ObservationExpression): FastShape | undefined {
  let expression = pattern;
  let withinMs: number | undefined;
  if (expression.kind === 'observation-qualified' && expression.qualifier.kind === 'within') {
    withinMs = expression.qualifier.seconds * 1000;
    expression = expression.expression;
  }
  if (expression.kind === 'observation-qualified' && expression.qualifier.kind === 'repeats') {
    const unit = repeatedUnit(expression.expression);
    if (unit === undefined) return undefined;
    const times = expression.qualifier.times;
    // Once is the unit alone: the pair shape (OR: one observation of either side).
    if (times === 1) return { kind: 'pair', operator: unit === 'observation' ? 'OR' : unit, withinMs };
    return { kind: 'repeats', times, withinMs, unit };
  }
  if (expression.kind !== 'observation-binary') return undefined;
  if (!isLoneObservation(expression.left) || !isLoneObservation(expression.right)) return undefined;
  return { kind: 'pair', operator: expression.operator, withinMs };
}

function repeatedUnit(expression: ObservationExpression): RepeatedUnit | undefined {
  if (isLoneObservation(expression)) return 'observation';
  if (expression.kind !== 'observation-binary') return undefined;
  if (!isLoneObservation(expression.left) || !isLoneObservation(expression.right)) return undefined;
  return expression.operator === 'OR' ? 'observation' : expression.operator;
}

/**
 * One `[ … ]`, perhaps under qualifiers that hold for any single instant observation: `WITHIN` (one instant
 * spans no time) and `REPEATS 1 TIMES`. `[a] FOLLOWEDBY [b] WITHIN 60 SECONDS` is such a pair, since
 * qualifiers bind tighter than operators: the WITHIN is `[b]`'s alone (`matcher check` warns about it).
 */
function isLoneObservation(expression: ObservationExpression): boolean {
  if (expression.kind === 'observation') return true;
  if (expression.kind !== 'observation-qualified') return false;
  const { qualifier } = expression;
  const trivial = qualifier.kind === 'within' || (qualifier.kind === 'repeats' && qualifier.times === 1);
  return trivial && isLoneObservation(expression.expression);
}

/** Whether an observation is one instant observed once, so its `time` is all the shapes need. */
export function isInstant(observation: Observation): boolean {
  const { first_observed: first, last_observed: last, number_observed: count } = observation.observedData;
  return count === 1 && first === last;
}

/**
 * The kept observations (in time order, `newest` among them) that share a binding with `newest`, or an
 * empty list when none uses it.
 */
export function fastParticipants(shape: FastShape, kept: readonly Kept[], newest: Kept): Kept[] {
  if (shape.kind === 'pair') return pairParticipants(shape, kept, newest);
  return shape.unit === 'observation'
    ? repeatsParticipants(shape, kept, newest)
    : repeatedPairParticipants(shape.unit, shape.times, shape.withinMs, kept, newest);
}

/** Every window shorter than WITHIN that holds the newest and at least `times` observations. */
function repeatsParticipants(
  shape: Extract<FastShape, { kind: 'repeats' }>,
  kept: readonly Kept[],
  newest: Kept,
): Kept[] {
  const t = newest.observation.time;
  const near =
    shape.withinMs === undefined
      ? kept
      : kept.filter((k) => Math.abs(k.observation.time - t) < (shape.withinMs ?? 0));
  if (near.length < shape.times) return [];
  if (shape.withinMs === undefined) return [...near];
  // Windows [from, from + within) starting at each kept time up to the newest's, two pointers.
  const within = shape.withinMs;
  let usedFrom = near.length;
  let usedTo = 0;
  let end = 0;
  for (let start = 0; start < near.length; start += 1) {
    const from = near[start]?.observation.time ?? 0;
    if (from > t) break;
    while (end < near.length && (near[end]?.observation.time ?? 0) - from < within) end += 1;
    if (end - start < shape.times) continue;
    usedFrom = Math.min(usedFrom, start);
    usedTo = Math.max(usedTo, end);
  }
  return usedFrom < usedTo ? near.slice(usedFrom, usedTo) : [];
}

function pairParticipants(
  shape: Extract<FastShape, { kind: 'pair' }>,
  kept: readonly Kept[],
  newest: Kept,
): Kept[] {
  if (shape.operator === 'OR') return [newest];
  const t = newest.observation.time;
  const ordered = shape.operator === 'FOLLOWEDBY';
  const fits = (other: Kept, newestIsLeft: boolean): boolean => {
    const dt = other.observation.time - t;
    if (shape.withinMs !== undefined && Math.abs(dt) >= shape.withinMs) return false;
    if (!ordered) return true;
    return newestIsLeft ? dt >= 0 : dt <= 0;
  };
  const used = new Set<Kept>();
  for (const other of kept) {
    if (other === newest) continue;
    const asLeft = (newest.leaves & 1) !== 0 && (other.leaves & 2) !== 0 && fits(other, true);
    const asRight = (newest.leaves & 2) !== 0 && (other.leaves & 1) !== 0 && fits(other, false);
    if (asLeft || asRight) used.add(other);
  }
  if (used.size === 0) return [];
  used.add(newest);
  return kept.filter((k) => used.has(k));
}
