import type { Observation } from '../contracts.js';

/**
 * The partial matches of one multi-observation indicator: the recent observations that satisfy at least
 * one of its `[ … ]`, kept in event-time order for as long as a match could still use them (its WITHIN,
 * or the default horizon, plus the out-of-order tolerance), and never more than `capacity`.
 *
 * Invariant: the kept observations never satisfy the pattern by themselves, because each match consumes
 * the observations it used. So when a new observation completes a match, every match includes it, and the
 * evaluator is asked only when something relevant arrives.
 */
export class Correlator {
  private kept: Observation[] = [];
  private latestMs = Number.NEGATIVE_INFINITY;
  private evicted = 0;

  constructor(
    private readonly evaluate: (observations: readonly Observation[]) => boolean,
    private readonly keepMs: number,
    private readonly capacity: number,
  ) {}

  /** Adds a relevant observation; returns the observations of the match it completes, if any. */
  offer(observation: Observation): readonly Observation[] | undefined {
    this.latestMs = Math.max(this.latestMs, observation.time);
    this.expire();
    this.insert(observation);
    if (!this.evaluate(this.kept)) return undefined;
    const witness = this.minimalWitness(observation);
    const used = new Set(witness);
    this.kept = this.kept.filter((o) => !used.has(o));
    return witness;
  }

  get size(): number {
    return this.kept.length;
  }

  get evictions(): number {
    return this.evicted;
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

  /**
   * Drops, oldest first, every kept observation the match does not need. Matching is monotone (fewer
   * observations never make a pattern match), so what remains is a minimal set that still matches.
   */
  private minimalWitness(newest: Observation): Observation[] {
    let witness = [...this.kept];
    for (const candidate of this.kept) {
      if (candidate === newest) continue;
      const without = witness.filter((o) => o !== candidate);
      if (this.evaluate(without)) witness = without;
    }
    return witness;
  }
}
