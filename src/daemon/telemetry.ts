/** Every metric of the daemon, in one place, with the hooks that keep them up to date. */
import type { Logger } from 'pino';
import type { Match, Observation, Origin, SightingUpdate, Skip } from '../contracts.js';
import type { Engine } from '../engine/index.js';
import { EngineTally, EvictionReports, SlowSearchReports, type IndicatorWork } from './engine-tally.js';
import { isNeo4jOutput, type Neo4jOutput } from '../outputs/neo4j.js';
import type { Output } from '../outputs/output.js';
import type { PipelineTelemetry } from '../pipeline.js';
import type { Metric, MetricsRegistry } from '../server/index.js';
import type { SightingAggregator } from '../sightings/index.js';
import type { Source } from '../sources/index.js';

/** An output that holds sightings before they are acknowledged elsewhere (e.g. Neo4j's buffer). */
interface BufferedOutput extends Output {
  bufferDepth(): number;
}

function isBuffered(output: Output): output is BufferedOutput {
  return typeof (output as Partial<BufferedOutput>).bufferDepth === 'function';
}

function neo4jMetrics(r: MetricsRegistry) {
  return {
    written: r.counter(
      'matcher_neo4j_updates_written_total',
      'Sighting updates written to Neo4j, directly or drained from the spill file.',
    ),
    drained: r.counter(
      'matcher_neo4j_updates_drained_total',
      'Sighting updates written to Neo4j from the spill file (part of the written total).',
    ),
    spilled: r.counter(
      'matcher_neo4j_updates_spilled_total',
      'Sighting updates appended to the spill file because Neo4j could not take them.',
    ),
    rejected: r.counter(
      'matcher_neo4j_updates_rejected_total',
      'Sighting updates Neo4j refused as data, set aside in neo4j-rejected-*.jsonl.',
    ),
    retries: r.counter(
      'matcher_neo4j_write_retries_total',
      'Neo4j writes and drains tried again after an error.',
    ),
    failedAttempts: r.counter(
      'matcher_neo4j_write_attempts_failed_total',
      'Tries of a Neo4j write or drain that failed (Neo4j unavailable).',
    ),
    spillRecords: r.gauge(
      'matcher_neo4j_spill_records',
      'Sighting updates in the spill file, not yet in Neo4j.',
    ),
    spillBytes: r.gauge('matcher_neo4j_spill_bytes', 'Size of the spill files not yet drained.'),
  };
}

function engineMetrics(r: MetricsRegistry) {
  return {
    partial: r.gauge(
      'matcher_engine_partial_matches',
      'Observations kept now for multi-observation indicators (partial matches).',
    ),
    evictions: r.counter(
      'matcher_engine_partial_evictions_total',
      'Partial matches dropped because an indicator kept maxPartialPerIndicator, by indicator.',
      ['indicator'],
    ),
    searchSeconds: r.counter(
      'matcher_engine_search_seconds_total',
      'Time a multi-observation indicator spent asking the batch oracle for bindings, by indicator.',
      ['indicator'],
    ),
    truncated: r.counter(
      'matcher_engine_truncated_matches_total',
      'Searches for the participants of a match cut at maxBindingsPerMatch or maxSearchStepsPerOffer (fewer observations, or no match when none was found).',
    ),
    evaluations: r.counter(
      'matcher_engine_evaluations_total',
      'Indicators an observation was relevant to, summed over observations.',
    ),
    leafTests: r.counter(
      'matcher_engine_leaf_tests_total',
      'Comparison expressions tested, summed over observations.',
    ),
  };
}

function aggregatorMetrics(r: MetricsRegistry) {
  return {
    open: r.gauge('matcher_sightings_open', 'Sightings open (still aggregating matches).'),
    evicted: r.counter(
      'matcher_sightings_evicted_total',
      'Sightings closed before their window ended because too many were open (maxOpenSightings).',
    ),
  };
}

export interface EngineTrackingOptions {
  /** Shortest time between two eviction warnings for one indicator. Default 60 000. */
  readonly evictionReportIntervalMs?: number;
  /** The interval over which an indicator's search time is weighed against the time gone by. Default 60 000. */
  readonly slowSearchIntervalMs?: number;
  /** The share of the time gone by that an indicator's searches must take to be warned of. Default 0.1. */
  readonly slowSearchShare?: number;
}

/** How often the pipeline's request for the engine also looks at each indicator's work (cheap, but not per batch). */
const EVICTION_CHECK_INTERVAL_MS = 1000;

export class DaemonMetrics {
  readonly sourceLines: Metric;
  readonly sourceBytes: Metric;
  readonly sourceDropped: Metric;
  readonly events: Metric;
  readonly skipped: Metric;
  readonly replayed: Metric;
  readonly stateSaveFailures: Metric;
  readonly matches: Metric;
  readonly sightings: Metric;
  readonly sightingUpdates: Metric;
  readonly outputWrites: Metric;
  readonly outputFailures: Metric;
  readonly outputBuffer: Metric;
  readonly lag: Metric;
  readonly indicatorsLoaded: Metric;
  readonly indicatorsRejected: Metric;
  readonly indicatorRefreshes: Metric;
  readonly neo4j: ReturnType<typeof neo4jMetrics>;
  readonly engine: ReturnType<typeof engineMetrics>;
  readonly aggregator: ReturnType<typeof aggregatorMetrics>;
  private latestEventMs = Number.NaN;

  constructor(
    readonly registry: MetricsRegistry,
    private readonly now: () => number = Date.now,
  ) {
    const r = registry;
    this.sourceLines = r.counter('matcher_source_lines_read_total', 'Lines read, by source.', ['source']);
    this.sourceBytes = r.counter('matcher_source_bytes_read_total', 'Bytes read, by source.', ['source']);
    this.sourceDropped = r.counter(
      'matcher_source_lines_dropped_total',
      'Lines a source dropped before parsing, by source and reason.',
      ['source', 'reason'],
    );
    this.events = r.counter('matcher_events_total', 'Lines that became events, by source and sensor.', [
      'source',
      'sensor',
    ]);
    this.skipped = r.counter(
      'matcher_lines_skipped_total',
      'Lines that did not become events (parse failures and intentional skips), by source and reason.',
      ['source', 'reason'],
    );
    this.matches = r.counter('matcher_matches_total', 'Indicator matches, by indicator.', ['indicator']);
    this.replayed = r.counter(
      'matcher_lines_replayed_total',
      'Lines read again after a restart that the restored pipeline state already holds, dropped, by source.',
      ['source'],
    );
    this.stateSaveFailures = r.counter(
      'matcher_state_save_failures_total',
      'Saves of the pipeline state that failed (sources do not commit until one succeeds).',
      [],
    );
    this.sightings = r.counter('matcher_sightings_total', 'Sightings opened, by indicator.', ['indicator']);
    this.sightingUpdates = r.counter(
      'matcher_sighting_updates_total',
      'Sighting updates written (new and updated), by indicator.',
      ['indicator'],
    );
    this.outputWrites = r.counter(
      'matcher_output_writes_total',
      'Sighting updates acknowledged by an output, by output.',
      ['output'],
    );
    this.outputFailures = r.counter('matcher_output_write_failures_total', 'Failed writes, by output.', [
      'output',
    ]);
    this.outputBuffer = r.gauge(
      'matcher_output_buffer_depth',
      'Sighting updates an output holds but has not written yet.',
      ['output'],
    );
    this.lag = r.gauge(
      'matcher_event_lag_seconds',
      'Wall-clock time minus the time of the latest event read (NaN before the first event).',
    );
    this.indicatorsLoaded = r.gauge('matcher_indicators_loaded', 'Indicators being evaluated.');
    this.indicatorsRejected = r.gauge(
      'matcher_indicators_rejected',
      'Indicators of the current set that cannot run, by reason.',
      ['reason'],
    );
    this.indicatorRefreshes = r.counter(
      'matcher_indicator_refreshes_total',
      'Indicator set loads, by result (changed, unchanged, failed).',
      ['result'],
    );
    this.neo4j = neo4jMetrics(r);
    this.engine = engineMetrics(r);
    this.aggregator = aggregatorMetrics(r);
    registry.onCollect(() => {
      this.lag.set({}, (this.now() - this.latestEventMs) / 1000);
    });
  }

  /** The pipeline's hooks: events and skips per source, matches per indicator, the latest event time. */
  pipelineTelemetry(): PipelineTelemetry {
    return {
      observed: (observation: Observation) => {
        this.events.inc({ source: observation.origin.source, sensor: observation.sensor });
        if (!(observation.time <= this.latestEventMs)) this.latestEventMs = observation.time;
      },
      skipped: (skip: Skip) => {
        this.skipped.inc({ source: skip.origin.source, reason: skip.reason });
      },
      matched: (match: Match) => {
        this.matches.inc({ indicator: match.indicatorId });
      },
      replayed: (origin: Origin) => {
        this.replayed.inc({ source: origin.source });
      },
      stateSaveFailed: () => {
        this.stateSaveFailures.inc();
      },
    };
  }

  /** Mirrors each source's own counters at every scrape. */
  watchSources(sources: readonly Source[]): void {
    this.registry.onCollect(() => {
      for (const source of sources) {
        const counters = source.counters?.();
        if (counters === undefined) continue;
        this.sourceLines.set({ source: source.id }, counters.linesRead);
        this.sourceBytes.set({ source: source.id }, counters.bytesRead);
        for (const [reason, count] of Object.entries(counters.dropped)) {
          this.sourceDropped.set({ source: source.id, reason }, count);
        }
      }
    });
  }

  /**
   * The pipeline's source of the engine: hands out the engine in force (`current`), keeping the engine
   * counts summed across indicator refreshes, and warns when an indicator's partial matches are evicted.
   */
  trackEngine(current: () => Engine, logger: Logger, options: EngineTrackingOptions = {}): () => Engine {
    const tally = new EngineTally();
    const evictionReports = new EvictionReports(logger, options.evictionReportIntervalMs ?? 60_000, this.now);
    const slowReports = new SlowSearchReports(
      logger,
      options.slowSearchIntervalMs ?? 60_000,
      options.slowSearchShare ?? 0.1,
      this.now,
    );
    const nameOf = (id: string): string | undefined =>
      current().indicators.find((indicator) => indicator.id === id)?.name;
    let checkedAtMs = Number.NEGATIVE_INFINITY;
    const check = (): Map<string, IndicatorWork> => {
      checkedAtMs = this.now();
      const work = tally.workByIndicator();
      evictionReports.report(work, nameOf);
      slowReports.report(work, nameOf);
      return work;
    };
    this.registry.onCollect(() => {
      const engine = current();
      this.engine.partial.set({}, engine.stats().partial);
      const counts = tally.counts();
      this.engine.evaluations.set({}, counts.evaluations);
      this.engine.leafTests.set({}, counts.leafTests);
      this.engine.truncated.set({}, counts.truncatedMatches);
      // Every multi-observation indicator in force has a series from the start, so a first eviction shows as a rise.
      for (const { indicatorId } of engine.partialByIndicator()) {
        this.engine.evictions.inc({ indicator: indicatorId }, 0);
        this.engine.searchSeconds.inc({ indicator: indicatorId }, 0);
      }
      for (const [indicator, { evictions, searchMs }] of check()) {
        this.engine.evictions.set({ indicator }, evictions);
        this.engine.searchSeconds.set({ indicator }, searchMs / 1000);
      }
    });
    return () => {
      const engine = current();
      tally.use(engine);
      if (this.now() - checkedAtMs >= EVICTION_CHECK_INTERVAL_MS) check();
      return engine;
    };
  }

  /** Mirrors the aggregator's open and evicted sightings at every scrape; returns it. */
  watchAggregator(aggregator: SightingAggregator): SightingAggregator {
    this.registry.onCollect(() => {
      const stats = aggregator.stats();
      this.aggregator.open.set({}, stats.open);
      this.aggregator.evicted.set({}, stats.evicted);
    });
    return aggregator;
  }

  /** The output, counting its writes and failures (a failure is rethrown: nothing is committed after it). */
  instrumentOutput(output: Output): Output {
    if (isBuffered(output)) {
      this.registry.onCollect(() => {
        this.outputBuffer.set({ output: output.name }, output.bufferDepth());
      });
    }
    if (isNeo4jOutput(output)) this.watchNeo4j(output);
    return {
      name: output.name,
      write: async (updates: readonly SightingUpdate[]) => {
        try {
          await output.write(updates);
        } catch (error) {
          this.outputFailures.inc({ output: output.name });
          throw error;
        }
        this.outputWrites.inc({ output: output.name }, updates.length);
      },
      close: () => output.close(),
    };
  }

  /** Mirrors the Neo4j output's own counters at every scrape. */
  private watchNeo4j(output: Neo4jOutput): void {
    this.registry.onCollect(() => {
      const counters = output.counters();
      this.neo4j.written.set({}, counters.written);
      this.neo4j.drained.set({}, counters.drained);
      this.neo4j.spilled.set({}, counters.spilled);
      this.neo4j.rejected.set({}, counters.failed);
      this.neo4j.retries.set({}, counters.retries);
      this.neo4j.failedAttempts.set({}, counters.failedAttempts);
      this.neo4j.spillRecords.set({}, counters.spillDepth);
      this.neo4j.spillBytes.set({}, counters.spillBytes);
    });
  }

  /** An output that only counts the sightings going out, once each whatever the number of real outputs. */
  sightingCounter(): Output {
    return {
      name: 'metrics',
      write: (updates: readonly SightingUpdate[]) => {
        for (const update of updates) {
          this.sightingUpdates.inc({ indicator: update.indicator.id });
          if (update.isNew) this.sightings.inc({ indicator: update.indicator.id });
        }
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
  }
}
