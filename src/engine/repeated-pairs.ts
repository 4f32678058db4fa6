/**
 * `([x] AND [y]) REPEATS n TIMES` and `([x] FOLLOWEDBY [y]) REPEATS n TIMES`, optionally WITHIN, for
 * observations at one instant: a binding is n disjoint pairs, one observation per side each (for
 * FOLLOWEDBY the left one no later than the right one). Instead of enumerating bindings, each window
 * shorter than WITHIN that holds the new observation is judged by counting, and a kept observation takes
 * part when some binding in the window holds both it and the new one.
 *
 * Why counting is enough: the pairs an observation can be in form a graph, and a binding is a matching of n
 * edges. Augmenting a matching never unmatches a vertex, so a set F of at most two vertices lies in some
 * matching of exactly n edges (n ≥ 2) when the maximum matching has n edges and some matching covers F:
 * an edge between the two, or two distinct partners, one for each.
 */
import type { Kept } from './fast-shapes.js';

export type PairOperator = 'AND' | 'FOLLOWEDBY';

/** Counts of observations by the sides they can take (index 1 left only, 2 right only, 3 either). */
type BySides = [number, number, number, number];

/** Which sides of the pair an observation can take: bit 0 the left `[ … ]`, bit 1 the right one. */
function sidesOf(kept: Kept): 1 | 2 | 3 {
  return (kept.leaves & 3) as 1 | 2 | 3;
}

const left = (kept: Kept): boolean => (kept.leaves & 1) !== 0;
const right = (kept: Kept): boolean => (kept.leaves & 2) !== 0;
const timeOf = (kept: Kept): number => kept.observation.time;

/**
 * The kept observations (in time order) that share with `newest` a binding of `times` pairs lying in one
 * window shorter than `withinMs`; empty when none does.
 */
export function repeatedPairParticipants(
  operator: PairOperator,
  times: number,
  withinMs: number | undefined,
  kept: readonly Kept[],
  newest: Kept,
): Kept[] {
  const t = timeOf(newest);
  const within = withinMs ?? Number.POSITIVE_INFINITY;
  const near = kept.filter((k) => Math.abs(timeOf(k) - t) < within);
  const through = operator === 'AND' ? andPairsThrough : orderedPairsThrough;
  const used = new Set<Kept>();
  // Windows start at each kept observation up to the newest; without WITHIN the first holds them all.
  const lastStart = withinMs === undefined ? 0 : near.indexOf(newest);
  let end = 0;
  for (let start = 0; start <= lastStart; start += 1) {
    const from = timeOf(near[start] as Kept);
    const previousEnd = end;
    while (end < near.length && timeOf(near[end] as Kept) - from < within) end += 1;
    // A window inside the previous one adds nothing: more observations only allow more bindings.
    if (start > 0 && end === previousEnd) continue;
    for (const k of through(near.slice(start, end), newest, times)) used.add(k);
  }
  return used.size === 0 ? [] : kept.filter((k) => used.has(k));
}

/**
 * AND: 2n distinct observations split into n per side exactly when at most n of them can take only the left
 * side and at most n only the right (those that can take either fill the rest). The lower bounds from the
 * forced ones and the upper bounds from what the window has leave every total in between, so whether an
 * observation joins the new one depends only on the sides it can take.
 */
function andPairsThrough(window: readonly Kept[], newest: Kept, times: number): Kept[] {
  const available: BySides = [0, 0, 0, 0];
  for (const k of window) available[sidesOf(k)] += 1;
  const onlyLeft = Math.min(available[1], times);
  const onlyRight = Math.min(available[2], times);
  if (2 * times > onlyLeft + onlyRight + available[3]) return [];
  const joins = ([1, 2, 3] as const).filter((sides) => {
    const forced: BySides = [0, 0, 0, 0];
    forced[sidesOf(newest)] += 1;
    forced[sides] += 1;
    return forced[1] <= onlyLeft && forced[2] <= onlyRight && forced[3] <= available[3];
  });
  if (joins.length === 0) return [];
  return window.filter((k) => k === newest || joins.includes(sidesOf(k)));
}

/** FOLLOWEDBY: an edge joins a left-side observation to a right-side one no earlier than it. */
function orderedPairsThrough(window: readonly Kept[], newest: Kept, times: number): Kept[] {
  if (maxOrderedPairs(window) < times) return [];
  const degree = orderedDegrees(window);
  const degreeOfNewest = degree.get(newest) ?? 0;
  if (degreeOfNewest === 0) return [];
  // With one partner only, another observation with that same one partner cannot join it.
  const onlyPartner =
    degreeOfNewest === 1 ? window.find((k) => ordered(newest, k) || ordered(k, newest)) : undefined;
  return window.filter((k) => {
    if (k === newest || ordered(newest, k) || ordered(k, newest)) return true;
    const own = degree.get(k) ?? 0;
    if (own === 0) return false;
    return !(onlyPartner !== undefined && own === 1 && (ordered(k, onlyPartner) || ordered(onlyPartner, k)));
  });
}

/** Whether `a` can be the left and `b` the right observation of one FOLLOWEDBY pair. */
function ordered(a: Kept, b: Kept): boolean {
  return a !== b && left(a) && right(b) && timeOf(a) <= timeOf(b);
}

/** Observations of a time-ordered window grouped by equal times. */
function timeGroups(window: readonly Kept[]): Kept[][] {
  const groups: Kept[][] = [];
  let previous: number | undefined;
  for (const k of window) {
    if (timeOf(k) !== previous) groups.push([]);
    groups[groups.length - 1]?.push(k);
    previous = timeOf(k);
  }
  return groups;
}

/** How many pairs each observation of the window can be in, from counts by time (no pair is listed). */
function orderedDegrees(window: readonly Kept[]): Map<Kept, number> {
  const groups = timeGroups(window);
  const rightTotal = window.filter(right).length;
  const degrees = new Map<Kept, number>();
  let leftUpTo = 0;
  let rightBefore = 0;
  for (const group of groups) {
    leftUpTo += group.filter(left).length;
    const rightFromHere = rightTotal - rightBefore;
    const eitherHere = group.filter((k) => left(k) && right(k)).length;
    for (const k of group) {
      const either = left(k) && right(k);
      let degree = 0;
      if (left(k)) degree += rightFromHere - (right(k) ? 1 : 0);
      if (right(k)) degree += leftUpTo - (left(k) ? 1 : 0);
      // Another observation at the same time that can take either side was counted both ways.
      if (either) degree -= eitherHere - 1;
      degrees.set(k, degree);
    }
    rightBefore += group.filter(right).length;
  }
  return degrees;
}

/**
 * The most disjoint FOLLOWEDBY pairs in a time-ordered window. Pairs exist for chosen left and right sets
 * exactly when, up to every time, no more are right than left (Hall's condition, the neighbourhoods being
 * nested). So: every left-only observation is a left one; a right-only one is taken whenever the left ones so
 * far leave room; one that can take either starts as a left one, and is turned into a right one afterwards,
 * latest first, wherever the room left from its time on is at least two.
 */
function maxOrderedPairs(window: readonly Kept[]): number {
  const groups = timeGroups(window);
  const roomAfter: number[] = [];
  let room = 0;
  let pairs = 0;
  for (const group of groups) {
    room += group.filter(left).length;
    const rightOnly = group.filter((k) => !left(k)).length;
    const taken = Math.min(rightOnly, room);
    pairs += taken;
    room -= taken;
    roomAfter.push(room);
  }
  let least = Number.POSITIVE_INFINITY;
  for (let g = groups.length - 1; g >= 0; g -= 1) {
    least = Math.min(least, roomAfter[g] ?? 0);
    const either = (groups[g] ?? []).filter((k) => left(k) && right(k)).length;
    for (let i = 0; i < either && least >= 2; i += 1) {
      pairs += 1;
      least -= 2;
    }
  }
  return pairs;
}
