/** Every metric of the daemon, in one place, with the hooks that keep them up to date. */
import type { Match, Observation, SightingUpdate, Skip } from '../contracts.js';
import type { Output } from '../outputs/output.js';
import type { PipelineTelemetry } from '../pipeline.js';
import type { Metric, MetricsRegistry } from '../server/index.js';
import type { Source } from '../sources/index.js';

/** An output that holds sightings before they are acknowledged elsewhere (e.g. Neo4j's buffer). */
interface BufferedOutput extends Output {
  bufferDepth(): number;
}

function isBuffered(output: Output): output is BufferedOutput {
  return typeof (output as Partial<BufferedOutput>).bufferDepth === 'function';
}

export class DaemonMetrics {
  readonly sourceLines: Metric;
  readonly sourceBytes: Metric;
  readonly sourceDropped: Metric;
  readonly events: Metric;
  readonly skipped: Metric;
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

  /** The output, counting its writes and failures (a failure is rethrown: nothing is committed after it). */
  instrumentOutput(output: Output): Output {
    if (isBuffered(output)) {
      this.registry.onCollect(() => {
        this.outputBuffer.set({ output: output.name }, output.bufferDepth());
      });
    }
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
