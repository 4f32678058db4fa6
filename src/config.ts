/**
 * Every setting of `matcher run`: one zod schema (types, defaults, one-line descriptions) and one table
 * saying which flag and which environment variable set it. Flags override the environment. This module
 * and the CLI entry point are the only readers of the environment, which the caller passes in.
 */
import { fileURLToPath } from 'node:url';
import type { ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { engineConfigSchema, engineDefaults, type EngineConfig } from './engine/index.js';
import { Neo4jCredentialsError, readNeo4jCredentials, type Neo4jCredentials } from './neo4j/index.js';
import { isLabelSelector } from './sources/kube-logs/index.js';

/** The attack model shipped with the package, found from this file so it works from any directory. */
export const DEFAULT_INDICATORS_FILE = fileURLToPath(
  new URL('../stix/examples/hostpath-attack-model.json', import.meta.url),
);

function wholeNumber(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .trim()
    .regex(/^[0-9]+$/, { error: 'expected a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

const flag = z.boolean({ error: 'expected true or false' });
const nonEmpty = z.string().trim().min(1, { error: 'must not be empty' });
const paths = z.array(nonEmpty);

export const daemonSettingsSchema = z.strictObject({
  tail: paths.default([]).describe('Files to follow across rotation, e.g. Tetragon’s tetragon.log.'),
  tailStartAt: z
    .enum(['beginning', 'end'])
    .default('end')
    .describe('Where to start in a tailed file no checkpoint knows yet.'),
  stateDir: nonEmpty
    .default('.matcher-state')
    .describe('Directory for checkpoints, the pipeline state (and the Neo4j spill file).'),
  checkpointIntervalMs: wholeNumber(100)
    .default(5_000)
    .describe('How often tailed files’ committed positions are saved (and at shutdown).'),
  kubeLabelSelector: z
    .string()
    .refine(isLabelSelector, { error: 'expected a label selector such as app.kubernetes.io/name=tetragon' })
    .optional()
    .describe('Read the logs of the pods this label selector matches (enables the pod-log source).'),
  kubeNamespace: nonEmpty.optional().describe('Only pods in this namespace (default: every namespace).'),
  kubeContainer: nonEmpty.optional().describe('Only this container of each pod (default: every container).'),
  auditWebhookPort: wholeNumber(0, 65_535)
    .optional()
    .describe('Receive Kubernetes audit webhook batches on this port (enables the audit webhook source).'),
  auditWebhookHost: nonEmpty.default('0.0.0.0').describe('Address the audit webhook receiver listens on.'),
  stdin: flag.default(false).describe('Read events from standard input too.'),
  indicators: paths
    .default([DEFAULT_INDICATORS_FILE])
    .describe('STIX bundle files with the indicators, used when Neo4j is not configured.'),
  indicatorRefreshIntervalMs: wholeNumber(100)
    .default(30_000)
    .describe('How often the indicator set is read again; changes take effect within one interval.'),
  http: flag.default(true).describe('Serve /healthz, /readyz and /metrics (--no-http turns it off).'),
  httpHost: nonEmpty.default('0.0.0.0').describe('Address of the HTTP server.'),
  httpPort: wholeNumber(0, 65_535).default(9090).describe('Port of the HTTP server (0: any free port).'),
  logLevel: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
    .default('info')
    .describe('Least severe operational message logged.'),
  pretty: flag.default(false).describe('Lines for people instead of JSON lines.'),
  clusterName: nonEmpty.default('honeycluster').describe('The name sightings are sighted at, with the node.'),
  aggregationWindowMs: wholeNumber(1)
    .default(300_000)
    .describe('Matches of one indicator at one place within this long make one sighting.'),
  correlationHorizonMs: wholeNumber(1)
    .default(engineDefaults.defaultHorizonMs)
    .describe('How long the events of a multi-observation pattern without WITHIN are kept for it.'),
  outOfOrderToleranceMs: wholeNumber(0)
    .default(engineDefaults.outOfOrderToleranceMs)
    .describe('How late, in event time, an event may arrive and still be correlated with later ones.'),
  maxPartialPerIndicator: wholeNumber(1)
    .default(engineDefaults.maxPartialPerIndicator)
    .describe('Events kept per multi-observation indicator; beyond it the oldest is evicted (counted).'),
  flushIntervalMs: wholeNumber(10)
    .default(1_000)
    .describe('How often updated sightings are written and checkpoints committed, even when idle.'),
  shutdownGraceMs: wholeNumber(100)
    .default(10_000)
    .describe('How long shutdown may take after SIGTERM before the process exits anyway (non-zero).'),
});

export type DaemonSettings = z.output<typeof daemonSettingsSchema>;

/** The engine's settings from the daemon's. */
export function engineConfigOf(
  settings: Pick<DaemonSettings, 'correlationHorizonMs' | 'outOfOrderToleranceMs' | 'maxPartialPerIndicator'>,
): EngineConfig {
  return engineConfigSchema.parse({
    defaultHorizonMs: settings.correlationHorizonMs,
    outOfOrderToleranceMs: settings.outOfOrderToleranceMs,
    maxPartialPerIndicator: settings.maxPartialPerIndicator,
  });
}
export type SettingName = keyof DaemonSettings;

/** Where a setting is read from: its flag (without `--`), and its environment variable if it has one. */
interface SettingSource {
  readonly flag: string;
  readonly env?: string;
  readonly kind: 'string' | 'list' | 'boolean';
  /** For usage text: what the flag takes. */
  readonly value?: string;
}

export const settingSources: Readonly<Record<SettingName, SettingSource>> = {
  tail: { flag: 'tail', env: 'MATCHER_TAIL_PATHS', kind: 'list', value: '<path>' },
  tailStartAt: {
    flag: 'tail-start-at',
    env: 'MATCHER_TAIL_START_AT',
    kind: 'string',
    value: 'beginning|end',
  },
  stateDir: { flag: 'state-dir', env: 'MATCHER_STATE_DIR', kind: 'string', value: '<dir>' },
  checkpointIntervalMs: {
    flag: 'checkpoint-interval-ms',
    env: 'MATCHER_CHECKPOINT_INTERVAL_MS',
    kind: 'string',
    value: '<ms>',
  },
  kubeLabelSelector: {
    flag: 'kube-label-selector',
    env: 'MATCHER_KUBE_LABEL_SELECTOR',
    kind: 'string',
    value: '<selector>',
  },
  kubeNamespace: { flag: 'kube-namespace', env: 'MATCHER_KUBE_NAMESPACE', kind: 'string', value: '<ns>' },
  kubeContainer: { flag: 'kube-container', env: 'MATCHER_KUBE_CONTAINER', kind: 'string', value: '<name>' },
  auditWebhookPort: {
    flag: 'audit-webhook-port',
    env: 'MATCHER_AUDIT_WEBHOOK_PORT',
    kind: 'string',
    value: '<port>',
  },
  auditWebhookHost: {
    flag: 'audit-webhook-host',
    env: 'MATCHER_AUDIT_WEBHOOK_HOST',
    kind: 'string',
    value: '<address>',
  },
  stdin: { flag: 'stdin', env: 'MATCHER_STDIN', kind: 'boolean' },
  indicators: { flag: 'indicators', env: 'MATCHER_INDICATORS', kind: 'list', value: '<file>' },
  indicatorRefreshIntervalMs: {
    flag: 'indicator-refresh-interval-ms',
    env: 'MATCHER_INDICATOR_REFRESH_INTERVAL_MS',
    kind: 'string',
    value: '<ms>',
  },
  http: { flag: 'no-http', kind: 'boolean' },
  httpHost: { flag: 'http-host', env: 'MATCHER_HTTP_HOST', kind: 'string', value: '<address>' },
  httpPort: { flag: 'http-port', env: 'MATCHER_HTTP_PORT', kind: 'string', value: '<port>' },
  logLevel: { flag: 'log-level', env: 'MATCHER_LOG_LEVEL', kind: 'string', value: '<level>' },
  pretty: { flag: 'pretty', env: 'MATCHER_PRETTY', kind: 'boolean' },
  clusterName: { flag: 'cluster-name', env: 'MATCHER_CLUSTER_NAME', kind: 'string', value: '<name>' },
  aggregationWindowMs: {
    flag: 'aggregation-window-ms',
    env: 'MATCHER_AGGREGATION_WINDOW_MS',
    kind: 'string',
    value: '<ms>',
  },
  correlationHorizonMs: {
    flag: 'correlation-horizon-ms',
    env: 'MATCHER_CORRELATION_HORIZON_MS',
    kind: 'string',
    value: '<ms>',
  },
  outOfOrderToleranceMs: {
    flag: 'out-of-order-tolerance-ms',
    env: 'MATCHER_OUT_OF_ORDER_TOLERANCE_MS',
    kind: 'string',
    value: '<ms>',
  },
  maxPartialPerIndicator: {
    flag: 'max-partial-per-indicator',
    env: 'MATCHER_MAX_PARTIAL_PER_INDICATOR',
    kind: 'string',
    value: '<events>',
  },
  flushIntervalMs: {
    flag: 'flush-interval-ms',
    env: 'MATCHER_FLUSH_INTERVAL_MS',
    kind: 'string',
    value: '<ms>',
  },
  shutdownGraceMs: {
    flag: 'shutdown-grace-ms',
    env: 'MATCHER_SHUTDOWN_GRACE_MS',
    kind: 'string',
    value: '<ms>',
  },
};

const settingNames = Object.keys(settingSources) as SettingName[];

/** The `parseArgs` options of `matcher run`, from the table. */
export const daemonFlagOptions: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
  settingNames.map((name) => {
    const source = settingSources[name];
    return [
      source.flag,
      source.kind === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple: source.kind === 'list' },
    ];
  }),
);

/** Everything `matcher run` needs: the settings, and Neo4j credentials when Neo4j is configured. */
export interface DaemonConfig extends DaemonSettings {
  readonly neo4j?: Neo4jCredentials;
}

/** A setting that cannot work; the message names the flag or variable and what is wrong. Exit code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type FlagValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
type Env = Readonly<Record<string, string | undefined>>;

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off', '']);

function fromEnv(source: SettingSource, text: string): unknown {
  if (source.kind === 'list') {
    return text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  if (source.kind === 'boolean') {
    const lower = text.trim().toLowerCase();
    return TRUE.has(lower) ? true : FALSE.has(lower) ? false : text;
  }
  return text;
}

/** One setting's raw value and where it came from: the flag wins over the environment. */
function pick(name: SettingName, flags: FlagValues, env: Env): { value: unknown; from: string } {
  const source = settingSources[name];
  const flagValue = flags[source.flag];
  if (flagValue !== undefined) {
    // `--no-http` is the only negative flag: its presence turns the setting off.
    const value = name === 'http' ? false : flagValue;
    return { value, from: `--${source.flag}` };
  }
  const envValue = source.env === undefined ? undefined : env[source.env];
  if (envValue !== undefined && source.env !== undefined) {
    return { value: fromEnv(source, envValue), from: source.env };
  }
  return { value: undefined, from: `--${source.flag}` };
}

function noSourceMessage(): string {
  const flags = (['tail', 'kubeLabelSelector', 'auditWebhookPort', 'stdin'] as const).map((name) => {
    const source = settingSources[name];
    return `--${source.flag}${source.value === undefined ? '' : ` ${source.value}`} (${source.env ?? ''})`;
  });
  return `No source configured: give at least one of ${flags.join(', ')}.`;
}

/** Validates flags and environment into the daemon's config, or throws a `ConfigError` naming every bad setting. */
export function resolveDaemonConfig(flags: FlagValues, env: Env): DaemonConfig {
  const picked = new Map(settingNames.map((name) => [name, pick(name, flags, env)]));
  const input = Object.fromEntries([...picked].map(([name, { value }]) => [name, value]));
  const parsed = daemonSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path[0] as SettingName | undefined;
      const from = name === undefined ? 'settings' : (picked.get(name)?.from ?? name);
      const at = issue.path.length > 1 ? ` (item ${issue.path.slice(1).join('.')})` : '';
      return `${from}${at}: ${issue.message}`;
    });
    throw new ConfigError(problems.join('\n'));
  }
  const settings = parsed.data;
  const hasSource =
    settings.tail.length > 0 ||
    settings.kubeLabelSelector !== undefined ||
    settings.auditWebhookPort !== undefined ||
    settings.stdin;
  if (!hasSource) throw new ConfigError(noSourceMessage());
  let neo4j: Neo4jCredentials | undefined;
  try {
    neo4j = readNeo4jCredentials(env);
  } catch (error) {
    if (error instanceof Neo4jCredentialsError) throw new ConfigError(error.message);
    throw error;
  }
  return neo4j === undefined ? settings : { ...settings, neo4j };
}

/** The options part of `matcher run --help`, from the table and the schema's descriptions. */
export function daemonOptionsUsage(): string {
  const rows = settingNames.map((name) => {
    const source = settingSources[name];
    const left = `--${source.flag}${source.value === undefined ? '' : ` ${source.value}`}`;
    const description = daemonSettingsSchema.shape[name].description ?? '';
    const env = source.env === undefined ? '' : ` [${source.env}]`;
    return `  ${left.padEnd(40)} ${description}${env}`;
  });
  return rows.join('\n');
}
