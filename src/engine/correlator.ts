import type { Observation } from '../contracts.js';

/**
 * Every binding of the pattern over some observations, each as the indexes (into the list given) it uses.
 * The batch oracle's `bindings`, in production; anything equivalent in tests.
 */
export type BindingSearch = (observations: readonly Observation[]) => Iterable<ReadonlySet<number>>;

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
  private kept: Observation[] = [];
  private latestMs = Number.NEGATIVE_INFINITY;
  private evicted = 0;

  constructor(
    private readonly search: BindingSearch,
    private readonly keepMs: number,
    private readonly capacity: number,
    /** Bindings looked at per offer at most: beyond it the match carries what was found so far. */
    private readonly maxBindings: number,
  ) {}

  /** Adds a relevant observation; returns the observations of the match it completes, if any. */
  offer(observation: Observation): OfferResult {
    this.latestMs = Math.max(this.latestMs, observation.time);
    this.expire();
    this.insert(observation);
    return this.participants(observation);
  }

  get size(): number {
    return this.kept.length;
  }

  get evictions(): number {
    return this.evicted;
  }

  /** The observations still kept, oldest first (for a swap to carry over). */
  snapshot(): readonly Observation[] {
    return this.kept;
  }

  /** Takes over observations kept by the correlator this one replaces. */
  restore(kept: readonly Observation[], latestMs: number): void {
    for (const observation of kept) this.insert(observation);
    this.latestMs = Math.max(this.latestMs, latestMs);
    this.expire();
  }

  get latest(): number {
    return this.latestMs;
  }

  private participants(newest: Observation): OfferResult {
    const at = this.kept.indexOf(newest);
    const used = new Set<number>();
    let seen = 0;
    for (const binding of this.search(this.kept)) {
      seen += 1;
      if (binding.has(at)) for (const index of binding) used.add(index);
      if (seen >= this.maxBindings) return { match: this.pick(used), truncated: true };
    }
    return { match: this.pick(used), truncated: false };
  }

  private pick(used: ReadonlySet<number>): readonly Observation[] | undefined {
    if (used.size === 0) return undefined;
    return this.kept.filter((_, index) => used.has(index));
  }

  private expire(): void {
    const oldest = this.latestMs - this.keepMs;
    let drop = 0;
    while (drop < this.kept.length && (this.kept[drop]?.time ?? 0) < oldest) drop += 1;
    if (drop > 0) this.kept = this.kept.slice(drop);
  }

  private insert(observation: Observation): void {
    if (this.kept.length >= this.capacity) {
      this.kept.shift();
      this.evicted += 1;
    }
    let at = this.kept.length;
    while (at > 0 && (this.kept[at - 1]?.time ?? 0) > observation.time) at -= 1;
    this.kept.splice(at, 0, observation);
  }
}
