import type { Observation } from '../contracts.js';
import { SearchLimitError } from '../pattern/index.js';
import { fastParticipants, isInstant, type FastShape, type Kept } from './fast-shapes.js';

/**
 * Every binding of the pattern over some observations that uses the one at index `through`, each as the
 * indexes (into the list given) it uses. The batch oracle's `bindings`, in production; anything equivalent
 * in tests (one that gives other bindings too is filtered).
 */
export type BindingSearch = (
  observations: readonly Observation[],
  through: number,
) => Iterable<ReadonlySet<number>>;

/** What one offer found: the observations of the match it completes, if any, and whether the search was cut. */
export interface OfferResult {
  readonly match: readonly Observation[] | undefined;
  readonly truncated: boolean;
}

/**
 * The partial matches of one multi-observation indicator: the recent observations that satisfy at least
 * one of its `[ … ]`, kept in event-time order for as long as a match could still use them (its WITHIN,
 * or the default horizon, plus the out-of-order tolerance), and never more than `capacity`.
 *
 * A new observation completes a match when some binding of the pattern over the kept observations uses
 * it; the match then carries every kept observation that takes part, with it, in such a binding. Nothing
 * is consumed: a later observation that completes the pattern again with some of the same ones is a new
 * match (sightings aggregate them).
 */
export class Correlator {
  private kept: Kept[] = [];
  /** Kept observations that are not one instant observed once: while any is kept, the oracle decides. */
  private notInstant = 0;
  private latestMs = Number.NEGATIVE_INFINITY;
  private evicted = 0;
  private searchedMs = 0;
  /** How many kept observations satisfy each `[ … ]` (by leaf), so an offer knows which are present. */
  private readonly leafCounts: number[] = [];

  constructor(
    private readonly search: BindingSearch,
    private readonly keepMs: number,
    private readonly capacity: number,
    /** Bindings looked at per offer at most: beyond it the match carries what was found so far. */
    private readonly maxBindings: number,
    /** A shape matched by counting, without the oracle (see fast-shapes.ts). */
    private readonly fastShape: FastShape | undefined,
    /**
     * Whether the `[ … ]` of the kept observations could complete the pattern (PatternShape.completable):
     * while they cannot (the last step of an attack has not come), the oracle is not asked.
     */
    private readonly completable?: (present: number) => boolean,
  ) {}

  /**
   * Adds a relevant observation (`leaves`: bit i set when it satisfies the pattern's i-th `[ … ]`);
   * returns the observations of the match it completes, if any.
   */
  offer(observation: Observation, leaves: number): OfferResult {
    this.latestMs = Math.max(this.latestMs, observation.time);
    this.expire();
    const entry = { observation, leaves };
    this.insert(entry);
    if (this.fastShape !== undefined && this.notInstant === 0) {
      const used = fastParticipants(this.fastShape, this.kept, entry);
      return { match: used.length === 0 ? undefined : used.map((k) => k.observation), truncated: false };
    }
    if (this.completable !== undefined && !this.completable(this.presentLeaves())) {
      return { match: undefined, truncated: false };
    }
    return this.participants(entry);
  }

  get size(): number {
    return this.kept.length;
  }

  get evictions(): number {
    return this.evicted;
  }

  /** Milliseconds spent asking the oracle for bindings, so an indicator that slows everything is named. */
  get searchMs(): number {
    return this.searchedMs;
  }

  /** The observations still kept, oldest first (for a swap to carry over). */
  snapshot(): readonly Kept[] {
    return this.kept;
  }

  /** Takes over observations kept by the correlator this one replaces (same pattern, so same leaves). */
  restore(kept: readonly Kept[], latestMs: number): void {
    for (const entry of kept) this.insert(entry);
    this.latestMs = Math.max(this.latestMs, latestMs);
    this.expire();
  }

  get latest(): number {
    return this.latestMs;
  }

  private presentLeaves(): number {
    let present = 0;
    this.leafCounts.forEach((count, leaf) => {
      if (count > 0) present |= 1 << leaf;
    });
    return present;
  }

  /** Adds `delta` to the count of each leaf `leaves` holds. */
  private countLeaves(leaves: number, delta: number): void {
    for (let leaf = 0; leaves >>> leaf !== 0; leaf += 1) {
      if (((leaves >>> leaf) & 1) !== 0) this.leafCounts[leaf] = (this.leafCounts[leaf] ?? 0) + delta;
    }
  }

  private participants(newest: Kept): OfferResult {
    const start = performance.now();
    try {
      return this.searchParticipants(newest);
    } finally {
      this.searchedMs += performance.now() - start;
    }
  }

  private searchParticipants(newest: Kept): OfferResult {
    const at = this.kept.indexOf(newest);
    const used = new Set<number>();
    let seen = 0;
    try {
      for (const binding of this.search(
        this.kept.map((k) => k.observation),
        at,
      )) {
        // Every binding looked at counts towards the cap, through the new observation or not.
        seen += 1;
        if (binding.has(at)) for (const index of binding) used.add(index);
        // Every kept observation takes part already: no binding can add one.
        if (used.size === this.kept.length) break;
        if (seen >= this.maxBindings) return { match: this.pick(used), truncated: true };
      }
    } catch (error) {
      // The search ran out of steps (maxSearchStepsPerOffer): the match carries what it found, counted.
      if (!(error instanceof SearchLimitError)) throw error;
      return { match: this.pick(used), truncated: true };
    }
    return { match: this.pick(used), truncated: false };
  }

  private pick(used: ReadonlySet<number>): readonly Observation[] | undefined {
    if (used.size === 0) return undefined;
    return this.kept.filter((_, index) => used.has(index)).map((k) => k.observation);
  }

  private expire(): void {
    const oldest = this.latestMs - this.keepMs;
    let drop = 0;
    while (drop < this.kept.length && (this.kept[drop]?.observation.time ?? 0) < oldest) drop += 1;
    if (drop === 0) return;
    for (const entry of this.kept.slice(0, drop)) this.forget(entry);
    this.kept = this.kept.slice(drop);
  }

  private insert(entry: Kept): void {
    if (this.kept.length >= this.capacity) {
      const oldest = this.kept.shift();
      if (oldest !== undefined) this.forget(oldest);
      this.evicted += 1;
    }
    if (!isInstant(entry.observation)) this.notInstant += 1;
    this.countLeaves(entry.leaves, 1);
    const time = entry.observation.time;
    let at = this.kept.length;
    while (at > 0 && (this.kept[at - 1]?.observation.time ?? 0) > time) at -= 1;
    this.kept.splice(at, 0, entry);
  }

  private forget(entry: Kept): void {
    if (!isInstant(entry.observation)) this.notInstant -= 1;
    this.countLeaves(entry.leaves, -1);
  }
}
