import { z } from 'zod';
import { engineConfigOf } from '../config.js';
import { Engine, engineDefaults } from '../engine/index.js';
import { IndicatorFileError, loadIndicatorFiles, type LoadedIndicators } from '../indicators/index.js';
import { createLogger } from '../log.js';
import { createObserver } from '../observe/index.js';
import { stdoutOutput } from '../outputs/stdout.js';
import { runPipeline, type PipelineStats } from '../pipeline.js';
import { SightingAggregator, sightingsConfigSchema } from '../sightings/index.js';
import { buildFilesSource, type FilesSource } from '../sources/files/index.js';
import { parseCommandArgs, parseSettings } from './args.js';
import type { CliIO, Command } from './command.js';

const usage = `Usage: matcher scan --indicators <bundle.json> [--indicators …] <log files…>

Evaluates every STIX indicator of the bundles against the events of the log files (Tetragon, Kubernetes
audit, Falco, Kubescape, STIX; detected per line), in order, and prints one JSON line per sighting on
stdout. "-" reads standard input; .gz files are decompressed. A summary goes to stderr at the end.
Exit code 0 when the scan completed, whatever it found; 1 when an indicators file cannot be read.

Options:
  --indicators <file>             STIX bundle (or list of bundles) with the indicators; repeatable
  --aggregation-window-ms <ms>    matches of one indicator at one place within this long make one sighting (300000)
  --correlation-horizon-ms <ms>   how long the events of a multi-observation pattern without WITHIN are kept (3600000)
  --out-of-order-tolerance-ms <ms>  how late, in event time, an event may come and still be correlated (5000)
  --max-partial-per-indicator <n> events kept per multi-observation indicator, the oldest evicted beyond (1000)
  --cluster-name <name>           the name sightings are sighted at, with the node (honeycluster)
  --max-line-bytes <bytes>        longer lines are skipped and counted (1048576)
  --pretty                        lines for people instead of JSON`;

const scanSettingsSchema = z.strictObject({
  indicators: z.array(z.string().min(1)).min(1, 'give at least one --indicators bundle file'),
  files: z.array(z.string().min(1)).min(1, 'give at least one log file, or - for standard input'),
  aggregationWindowMs: z.coerce.number().int().positive().default(300_000),
  correlationHorizonMs: z.coerce.number().int().positive().default(engineDefaults.defaultHorizonMs),
  outOfOrderToleranceMs: z.coerce.number().int().nonnegative().default(engineDefaults.outOfOrderToleranceMs),
  maxPartialPerIndicator: z.coerce.number().int().positive().default(engineDefaults.maxPartialPerIndicator),
  clusterName: z.string().min(1).default('honeycluster'),
  maxLineBytes: z.coerce.number().int().positive().default(1_048_576),
  pretty: z.boolean().default(false),
});

function reportIndicators(loaded: LoadedIndicators, io: CliIO): void {
  for (const problem of loaded.problems) {
    io.stderr.write(
      `matcher scan: ${problem.file}: object ${problem.index} (${problem.id ?? 'no id'}): ${problem.message}\n`,
    );
  }
  for (const rejection of loaded.rejected) {
    io.stderr.write(`matcher scan: indicator ${rejection.id} skipped: ${rejection.message}\n`);
  }
}

function summary(
  stats: PipelineStats,
  loaded: LoadedIndicators,
  engine: Engine,
  source: FilesSource,
): string {
  const dropped = Object.entries(source.counters().dropped).filter(([, count]) => count > 0);
  const skipped = [...Object.entries(stats.skipped), ...dropped].map(
    ([reason, count]) => `${reason} ${count}`,
  );
  const skippedTotal = [...Object.values(stats.skipped), ...dropped.map(([, count]) => count)].reduce(
    (a, b) => a + b,
    0,
  );
  const failed = source.failures().map((f) => `${f.file} (${f.error})`);
  const evictions = engine.stats().evictions;
  return [
    ...(failed.length > 0 ? [`Could not read ${failed.join(', ')}.`] : []),
    `Scanned ${stats.lines + dropped.reduce((a, [, count]) => a + count, 0)} lines: ${stats.observations} events, ${skippedTotal} skipped${skipped.length > 0 ? ` (${skipped.join(', ')})` : ''}.`,
    `${loaded.active.length} indicators evaluated, ${loaded.rejected.length + loaded.problems.length} skipped.`,
    `${stats.matches} matches, ${stats.sightingUpdates} sightings.${evictions > 0 ? ` ${evictions} partial matches evicted.` : ''}`,
  ].join(' ');
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    indicators: { type: 'string', multiple: true },
    'aggregation-window-ms': { type: 'string' },
    'correlation-horizon-ms': { type: 'string' },
    'out-of-order-tolerance-ms': { type: 'string' },
    'max-partial-per-indicator': { type: 'string' },
    'cluster-name': { type: 'string' },
    'max-line-bytes': { type: 'string' },
    pretty: { type: 'boolean' },
  });
  const settings = parseSettings(scanSettingsSchema, {
    indicators: values.indicators ?? [],
    files: positionals,
    aggregationWindowMs: values['aggregation-window-ms'],
    correlationHorizonMs: values['correlation-horizon-ms'],
    outOfOrderToleranceMs: values['out-of-order-tolerance-ms'],
    maxPartialPerIndicator: values['max-partial-per-indicator'],
    clusterName: values['cluster-name'],
    maxLineBytes: values['max-line-bytes'],
    pretty: values.pretty,
  });
  let loaded: LoadedIndicators;
  try {
    loaded = await loadIndicatorFiles(settings.indicators);
  } catch (error) {
    if (!(error instanceof IndicatorFileError)) throw error;
    io.stderr.write(`matcher scan: ${error.message}\n`);
    return 1;
  }
  reportIndicators(loaded, io);
  const sightingsLogger = createLogger({ level: 'info', pretty: settings.pretty, stream: io.stdout });
  const diagnostics = createLogger({ level: 'warn', pretty: true, stream: io.stderr });
  const engineConfig = engineConfigOf(settings);
  const engine = new Engine(loaded.active, engineConfig);
  const names = new Map(loaded.active.map((i) => [i.id, i.name]));
  const source = buildFilesSource(
    { paths: settings.files, maxLineBytes: settings.maxLineBytes },
    { logger: diagnostics, stdin: io.stdin },
  );
  const stats = await runPipeline({
    sources: [source],
    observer: createObserver(),
    engine: () => engine,
    indicatorInfo: (id) => ({ id, ...(names.get(id) === undefined ? {} : { name: names.get(id) }) }),
    aggregator: new SightingAggregator(
      sightingsConfigSchema.parse({ aggregationWindowMs: settings.aggregationWindowMs }),
      { clusterName: settings.clusterName, reportOnOpen: false },
    ),
    outputs: [stdoutOutput(sightingsLogger)],
    logger: diagnostics,
    latenessMs: engineConfig.outOfOrderToleranceMs,
  });
  sightingsLogger.flush();
  io.stderr.write(`${summary(stats, loaded, engine, source)}\n`);
  return 0;
}

export const scanCommand: Command = {
  name: 'scan',
  summary: 'Match the indicators of a STIX bundle against recorded logs.',
  usage,
  run,
};
