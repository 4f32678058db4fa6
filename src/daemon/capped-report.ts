/**
 * What one load of the indicator set reports line by line: the first `limit` lines, then only a count by
 * reason for one closing line (a large threat database can hold thousands; they would drown the log).
 */
export class CappedReport {
  private logged = 0;
  private readonly unlogged = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** True when this one is to be logged; otherwise it is counted under `reason`. */
  admit(reason: string): boolean {
    if (this.logged < this.limit) {
      this.logged += 1;
      return true;
    }
    this.unlogged.set(reason, (this.unlogged.get(reason) ?? 0) + 1);
    return false;
  }

  /** How many were counted instead of logged, by reason; undefined when every one was logged. */
  unloggedByReason(): Record<string, number> | undefined {
    return this.unlogged.size === 0 ? undefined : Object.fromEntries(this.unlogged);
  }
}
