/**
 * The live indicator set: loaded from the provider at start and on every refresh, compiled once per
 * version of each indicator, and handed to the pipeline as an engine that is swapped whole between batches.
 */
import type { Logger } from 'pino';
import {
  activateIndicator,
  Engine,
  type ActiveIndicator,
  type EngineConfig,
  type IndicatorRejection,
  type IndicatorSource,
} from '../engine/index.js';
import type { IndicatorProvider } from '../indicators/index.js';
import type { IndicatorInfo } from '../sightings/index.js';
import { CappedReport } from './capped-report.js';
import type { DaemonMetrics } from './telemetry.js';

export type RefreshResult = 'changed' | 'unchanged' | 'failed';

/** Index warnings, and rejected indicators, logged one by one per load; the rest are counted in one line. */
const LOGGED_PER_LOAD = 20;

type Compiled = ActiveIndicator | IndicatorRejection | { readonly id: string; readonly reason: 'expired' };

/** Everything that decides how an indicator runs; a change to any of it is a new version. */
function versionKey(indicator: IndicatorSource): string {
  return JSON.stringify([
    indicator.id,
    indicator.modified,
    indicator.pattern,
    indicator.pattern_type,
    indicator.pattern_version,
    indicator.valid_from,
    indicator.valid_until,
    indicator.revoked,
    indicator.name,
  ]);
}

function modifiedMs(indicator: IndicatorSource): number {
  return indicator.modified === undefined ? 0 : Date.parse(indicator.modified);
}

/** One indicator per id: the latest `modified` wins. */
function latestVersions(indicators: readonly IndicatorSource[]): IndicatorSource[] {
  const latest = new Map<string, IndicatorSource>();
  for (const indicator of indicators) {
    const known = latest.get(indicator.id);
    if (known === undefined || modifiedMs(indicator) >= modifiedMs(known))
      latest.set(indicator.id, indicator);
  }
  return [...latest.values()];
}

function isActive(compiled: Compiled): compiled is ActiveIndicator {
  return !('reason' in compiled);
}

export class LiveIndicators {
  private current: Engine;
  /** The compiled form of every version in the current set, by version key. */
  private compiled = new Map<string, Compiled>();
  /** Names of every indicator seen, so late sightings of a removed indicator still carry its name. */
  private readonly names = new Map<string, string>();
  /** Problems and rejections already logged, so each is logged once. */
  private readonly reported = new Set<string>();
  /** The rejections of the load under way (see `refresh`). */
  private rejectionReport = new CappedReport(LOGGED_PER_LOAD);
  private loadedOnce = false;

  constructor(
    private readonly provider: IndicatorProvider,
    private readonly engineConfig: EngineConfig,
    private readonly logger: Logger,
    private readonly metrics: DaemonMetrics,
    private readonly now: () => number = Date.now,
  ) {
    this.current = new Engine([], engineConfig);
  }

  /** Whether a set has been loaded at least once. */
  get loaded(): boolean {
    return this.loadedOnce;
  }

  /** The engine in force; the pipeline asks once per batch, so a swap happens between batches. */
  engine(): Engine {
    return this.current;
  }

  /** The indicators of the current set that cannot run (not expired ones), for a store that marks them. */
  rejections(): IndicatorRejection[] {
    return [...this.compiled.values()].filter(
      (c): c is IndicatorRejection => !isActive(c) && c.reason !== 'expired',
    );
  }

  info(id: string): IndicatorInfo {
    const name = this.names.get(id);
    return name === undefined ? { id } : { id, name };
  }

  /** Loads the set again; on failure the last set stays in force. Never throws. */
  async refresh(): Promise<RefreshResult> {
    this.rejectionReport = new CappedReport(LOGGED_PER_LOAD);
    try {
      return await this.load();
    } finally {
      const byReason = this.rejectionReport.unloggedByReason();
      if (byReason !== undefined) {
        this.logger.warn(
          { code: 'INDICATORS_REJECTED_MORE', byReason },
          "More indicators skipped, counted by reason, not logged one by one (matcher_indicators_rejected counts them); `matcher check '<pattern>'` explains a pattern's error.",
        );
      }
    }
  }

  private async load(): Promise<RefreshResult> {
    let indicators: readonly IndicatorSource[];
    try {
      const snapshot = await this.provider.load();
      for (const problem of snapshot.problems) this.reportOnce(problem.message, 'warn', problem);
      indicators = latestVersions(snapshot.indicators);
    } catch (error) {
      this.metrics.indicatorRefreshes.inc({ result: 'failed' });
      this.logger.error(
        { code: 'INDICATORS_LOAD_FAILED', provider: this.provider.name, error: describe(error) },
        this.loadedOnce
          ? 'Could not load the indicators; the last set stays in force.'
          : 'Could not load the indicators.',
      );
      return 'failed';
    }
    const result = this.apply(indicators);
    this.metrics.indicatorRefreshes.inc({ result });
    this.loadedOnce = true;
    return result;
  }

  private apply(indicators: readonly IndicatorSource[]): RefreshResult {
    const next = new Map<string, Compiled>();
    for (const indicator of indicators) {
      if (indicator.name !== undefined) this.names.set(indicator.id, indicator.name);
      const key = versionKey(indicator);
      next.set(key, this.expireIfDue(this.compiled.get(key) ?? this.compile(indicator), key));
    }
    const previous = this.compiled;
    this.compiled = next;
    this.publishCounts();
    const unchanged =
      this.loadedOnce &&
      previous.size === next.size &&
      [...next].every(([key, compiled]) => previous.get(key) === compiled);
    if (unchanged) return 'unchanged';
    const active = [...next.values()].filter(isActive);
    // Unchanged indicators keep their partial matches across the swap.
    this.current = this.current.withIndicators(active);
    this.logChange(previous, next, active.length);
    this.logIndexWarnings();
    return 'changed';
  }

  /**
   * Once per indicator version: a [ … ] that meets every event of its type, or that never matches. A
   * large threat database can hold thousands: past the first few, one line counts the rest by reason.
   */
  private logIndexWarnings(): void {
    const report = new CappedReport(LOGGED_PER_LOAD);
    for (const { indicatorId: id, code: reason, leaf, comparison, message } of this.current.warnings) {
      const key = `index:${id}:${reason}:${leaf}:${comparison}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      if (!report.admit(reason)) continue;
      const fields = { code: 'INDICATOR_INDEX_WARNING', id, reason, comparison, detail: message };
      this.logger.warn(fields, 'Indicator runs, but part of its pattern cannot be indexed or never matches.');
    }
    const byReason = report.unloggedByReason();
    if (byReason === undefined) return;
    this.logger.warn(
      { code: 'INDICATOR_INDEX_WARNINGS_MORE', byReason },
      "More index warnings, counted by reason, not logged one by one; `matcher check '<pattern>'` shows a pattern's.",
    );
  }

  /** An indicator past its valid_until leaves the set (the engine would skip it anyway, by event time). */
  private expireIfDue(compiled: Compiled, key: string): Compiled {
    if (!isActive(compiled) || compiled.validUntilMs > this.now()) return compiled;
    this.reportOnce(`${key}:expired`, 'info', {
      id: compiled.id,
      reason: 'expired',
      message: `valid_until ${compiled.source.valid_until ?? ''} has passed`,
    });
    return { id: compiled.id, reason: 'expired' };
  }

  private compile(indicator: IndicatorSource): Compiled {
    const compiled = activateIndicator(indicator);
    if (!isActive(compiled)) {
      const level = compiled.reason === 'revoked' ? 'info' : 'warn';
      this.reportOnce(`${versionKey(indicator)}:${compiled.reason}`, level, {
        id: compiled.id,
        reason: compiled.reason,
        message: compiled.message,
      });
    }
    return compiled;
  }

  private reportOnce(
    key: string,
    level: 'info' | 'warn',
    fields: { id?: string; reason?: string; message: string },
  ): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    if (!this.rejectionReport.admit(fields.reason ?? 'invalid')) return;
    this.logger[level](
      {
        code: 'INDICATOR_REJECTED',
        id: fields.id,
        reason: fields.reason ?? 'invalid',
        error: fields.message,
      },
      'Indicator skipped; the others keep working.',
    );
  }

  private publishCounts(): void {
    const values = [...this.compiled.values()];
    this.metrics.indicatorsLoaded.set({}, values.filter(isActive).length);
    this.metrics.indicatorsRejected.clear();
    for (const reason of ['not-stix', 'revoked', 'invalid-pattern', 'expired'] as const) {
      this.metrics.indicatorsRejected.set(
        { reason },
        values.filter((c) => !isActive(c) && c.reason === reason).length,
      );
    }
  }

  private logChange(previous: Map<string, Compiled>, next: Map<string, Compiled>, active: number): void {
    const ids = (from: Map<string, Compiled>, without: Map<string, Compiled>): Set<string> =>
      new Set([...from].filter(([key]) => !without.has(key)).map(([, c]) => c.id));
    const added = ids(next, previous);
    const removed = ids(previous, next);
    const changed = [...added].filter((id) => removed.has(id));
    const summary = {
      added: [...added].filter((id) => !removed.has(id)),
      changed,
      removed: [...removed].filter((id) => !added.has(id)),
    };
    this.logger.info(
      {
        code: 'INDICATORS_CHANGED',
        provider: this.provider.name,
        active,
        rejected: next.size - active,
        ...(this.loadedOnce ? summary : {}),
      },
      this.loadedOnce ? 'Indicator set changed.' : 'Indicators loaded.',
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
