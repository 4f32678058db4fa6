/**
 * The common multi-observation shapes, matched by counting and comparing times instead of asking the batch
 * oracle: `[x] REPEATS n TIMES [WITHIN s SECONDS]`, the same over `([x] OR [y])` or `([x] AND [y])`, and two
 * `[ … ]` joined by AND, OR or FOLLOWEDBY, with an optional WITHIN. They hold only for observations at one
 * instant observed once (first_observed equal to last_observed, number_observed 1), which is what the
 * sensors produce; anything else goes to the oracle.
 */
import type { Observation } from '../contracts.js';
import type { ObservationExpression } from '../pattern/index.js';

/**
 * What REPEATS repeats: one observation (`[x]`, or `[x] OR [y]`, where any kept one serves), or a pair of
 * distinct observations, one for each side of `[x] AND [y]`.
 */
export type RepeatedUnit = 'observation' | 'and-pair';

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
    // Once, one observation of either side is the match alone: the pair shape's OR says so.
    if (times === 1 && unit === 'observation') return { kind: 'pair', operator: 'OR', withinMs };
    return { kind: 'repeats', times, withinMs, unit };
  }
  if (expression.kind !== 'observation-binary') return undefined;
  if (expression.left.kind !== 'observation' || expression.right.kind !== 'observation') return undefined;
  return { kind: 'pair', operator: expression.operator, withinMs };
}

function repeatedUnit(expression: ObservationExpression): RepeatedUnit | undefined {
  if (expression.kind === 'observation') return 'observation';
  if (expression.kind !== 'observation-binary') return undefined;
  if (expression.left.kind !== 'observation' || expression.right.kind !== 'observation') return undefined;
  if (expression.operator === 'FOLLOWEDBY') return undefined;
  return expression.operator === 'OR' ? 'observation' : 'and-pair';
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
    : andPairRepeatsParticipants(shape, kept, newest);
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

/** Kept observations by the sides of `[x] AND [y]` they can take: 1 only x, 2 only y, 3 either. */
type Sides = [number, number, number, number];

function sidesOf(kept: Kept): 1 | 2 | 3 {
  return (kept.leaves & 3) as 1 | 2 | 3;
}

/**
 * Whether `times` disjoint pairs (one observation per side each) can be drawn from `available` and include
 * `forced`. A set of 2n distinct observations splits into n per side exactly when at most n of them can take
 * only one side and at most n only the other (those that can take either fill the rest); the lower bounds
 * from `forced` and the upper bounds from `available` leave every total in between.
 */
function pairsFit(available: Sides, forced: Sides, times: number): boolean {
  const onlyLeft = Math.min(available[1], times);
  const onlyRight = Math.min(available[2], times);
  return (
    forced[1] <= onlyLeft &&
    forced[2] <= onlyRight &&
    forced[3] <= available[3] &&
    forced[1] + forced[2] + forced[3] <= 2 * times &&
    2 * times <= onlyLeft + onlyRight + available[3]
  );
}

/**
 * `([x] AND [y]) REPEATS n TIMES [WITHIN s]`: for each window shorter than WITHIN that holds the newest, the
 * kept observations that share a binding of n disjoint pairs with it. Whether one does depends only on the
 * sides it can take, so each window is judged by its counts per kind.
 */
function andPairRepeatsParticipants(
  shape: Extract<FastShape, { kind: 'repeats' }>,
  kept: readonly Kept[],
  newest: Kept,
): Kept[] {
  const t = newest.observation.time;
  const within = shape.withinMs ?? Number.POSITIVE_INFINITY;
  const near = kept.filter((k) => Math.abs(k.observation.time - t) < within);
  const at = near.indexOf(newest);
  const used = new Set<Kept>([newest]);
  const counts: Sides = [0, 0, 0, 0];
  let end = 0;
  // Windows start at each kept observation up to the newest; without WITHIN the first holds them all.
  const lastStart = shape.withinMs === undefined ? 0 : at;
  for (let start = 0; start <= lastStart; start += 1) {
    const from = near[start]?.observation.time ?? 0;
    for (; end < near.length && (near[end]?.observation.time ?? 0) - from < within; end += 1) {
      counts[sidesOf(near[end] as Kept)] += 1;
    }
    const joins = ([1, 2, 3] as const).filter((kind) => {
      const forced: Sides = [0, 0, 0, 0];
      forced[sidesOf(newest)] += 1;
      forced[kind] += 1;
      return pairsFit(counts, forced, shape.times);
    });
    for (let i = start; i < end; i += 1) {
      const other = near[i] as Kept;
      if (joins.includes(sidesOf(other))) used.add(other);
    }
    counts[sidesOf(near[start] as Kept)] -= 1;
  }
  return used.size === 1 ? [] : kept.filter((k) => used.has(k));
}
