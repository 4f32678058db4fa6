import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { test } from 'node:test';
import {
  ConfigError,
  daemonFlagOptions,
  DEFAULT_INDICATORS_FILE,
  engineConfigOf,
  resolveDaemonConfig,
  settingSources,
  type DaemonConfig,
} from '../../src/config.js';

function resolve(args: readonly string[], env: Record<string, string> = {}): DaemonConfig {
  const { values } = parseArgs({ args: [...args], options: daemonFlagOptions, strict: true });
  return resolveDaemonConfig(values, env);
}

function failure(args: readonly string[], env: Record<string, string> = {}): string {
  try {
    resolve(args, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the settings to be refused');
}

test('defaults: the pinned values, and the shipped model resolved from the package', () => {
  const config = resolve(['--tail', '/var/log/t.log']);
  assert.deepEqual(config.tail, ['/var/log/t.log']);
  assert.equal(config.tailStartAt, 'end');
  assert.equal(config.stateDir, '.matcher-state');
  assert.equal(config.kubeLabelSelector, undefined);
  assert.equal(config.auditWebhookPort, undefined);
  assert.equal(config.stdin, false);
  assert.deepEqual(config.indicators, [DEFAULT_INDICATORS_FILE]);
  assert.ok(existsSync(DEFAULT_INDICATORS_FILE), DEFAULT_INDICATORS_FILE);
  assert.equal(config.indicatorRefreshIntervalMs, 30_000);
  assert.equal(config.http, true);
  assert.equal(config.httpHost, '0.0.0.0');
  assert.equal(config.httpPort, 9090);
  assert.equal(config.logLevel, 'info');
  assert.equal(config.pretty, false);
  assert.equal(config.clusterName, 'honeycluster');
  assert.equal(config.aggregationWindowMs, 300_000);
  assert.equal(config.correlationHorizonMs, 3_600_000);
  assert.equal(config.outOfOrderToleranceMs, 5000);
  assert.equal(config.maxPartialPerIndicator, 1000);
  assert.equal(config.flushIntervalMs, 1000);
  assert.equal(config.checkpointIntervalMs, 5000);
  assert.equal(config.shutdownGraceMs, 10_000);
  assert.equal(config.neo4j, undefined);
});

const everySetting: Record<string, { flag: string[]; env: string; expect: unknown }> = {
  tail: { flag: ['--tail', 'a.log', '--tail', 'b.log'], env: 'a.log, b.log', expect: ['a.log', 'b.log'] },
  tailStartAt: { flag: ['--tail-start-at', 'beginning'], env: 'beginning', expect: 'beginning' },
  stateDir: { flag: ['--state-dir', '/s'], env: '/s', expect: '/s' },
  checkpointIntervalMs: { flag: ['--checkpoint-interval-ms', '60000'], env: '60000', expect: 60_000 },
  kubeLabelSelector: {
    flag: ['--kube-label-selector', 'app.kubernetes.io/name=tetragon'],
    env: 'app.kubernetes.io/name=tetragon',
    expect: 'app.kubernetes.io/name=tetragon',
  },
  kubeNamespace: { flag: ['--kube-namespace', 'kube-system'], env: 'kube-system', expect: 'kube-system' },
  kubeContainer: {
    flag: ['--kube-container', 'export-stdout'],
    env: 'export-stdout',
    expect: 'export-stdout',
  },
  auditWebhookPort: { flag: ['--audit-webhook-port', '9880'], env: '9880', expect: 9880 },
  auditWebhookHost: { flag: ['--audit-webhook-host', '127.0.0.1'], env: '127.0.0.1', expect: '127.0.0.1' },
  stdin: { flag: ['--stdin'], env: 'true', expect: true },
  indicators: { flag: ['--indicators', 'x.json'], env: 'x.json', expect: ['x.json'] },
  indicatorRefreshIntervalMs: {
    flag: ['--indicator-refresh-interval-ms', '5000'],
    env: '5000',
    expect: 5000,
  },
  httpHost: { flag: ['--http-host', '127.0.0.1'], env: '127.0.0.1', expect: '127.0.0.1' },
  httpPort: { flag: ['--http-port', '8081'], env: '8081', expect: 8081 },
  logLevel: { flag: ['--log-level', 'debug'], env: 'debug', expect: 'debug' },
  pretty: { flag: ['--pretty'], env: 'true', expect: true },
  clusterName: { flag: ['--cluster-name', 'hc2'], env: 'hc2', expect: 'hc2' },
  aggregationWindowMs: { flag: ['--aggregation-window-ms', '60000'], env: '60000', expect: 60_000 },
  correlationHorizonMs: { flag: ['--correlation-horizon-ms', '600000'], env: '600000', expect: 600_000 },
  outOfOrderToleranceMs: { flag: ['--out-of-order-tolerance-ms', '0'], env: '0', expect: 0 },
  maxPartialPerIndicator: { flag: ['--max-partial-per-indicator', '5000'], env: '5000', expect: 5000 },
  flushIntervalMs: { flag: ['--flush-interval-ms', '250'], env: '250', expect: 250 },
  shutdownGraceMs: { flag: ['--shutdown-grace-ms', '3000'], env: '3000', expect: 3000 },
};

test('every setting can be given by its flag and by its environment variable', () => {
  for (const [name, { flag, env, expect }] of Object.entries(everySetting)) {
    const key = name as keyof typeof settingSources;
    const variable = settingSources[key].env;
    assert.ok(variable !== undefined, name);
    const base = name === 'tail' ? [] : ['--stdin'];
    assert.deepEqual(resolve([...base, ...flag])[key], expect, `${name} from ${flag.join(' ')}`);
    assert.deepEqual(resolve(base, { [variable]: env })[key], expect, `${name} from ${variable}`);
  }
});

test('a flag overrides its environment variable, lists included', () => {
  const env = {
    MATCHER_HTTP_PORT: '7000',
    MATCHER_TAIL_PATHS: 'env.log',
    MATCHER_LOG_LEVEL: 'warn',
    MATCHER_PRETTY: 'false',
  };
  const config = resolve(['--http-port', '7001', '--tail', 'flag.log', '--pretty'], env);
  assert.equal(config.httpPort, 7001);
  assert.deepEqual(config.tail, ['flag.log']);
  assert.equal(config.pretty, true);
  assert.equal(config.logLevel, 'warn');
});

test('--no-http turns the status server off', () => {
  assert.equal(resolve(['--stdin', '--no-http']).http, false);
});

test('Neo4j mode from NEO4J_URI with NEO4J_AUTH, the password never in the message of a bad one', () => {
  const config = resolve(['--stdin'], { NEO4J_URI: 'bolt://127.0.0.1:7687', NEO4J_AUTH: 'neo4j/s3cret-pw' });
  assert.equal(config.neo4j?.uri, 'bolt://127.0.0.1:7687');
  assert.equal(config.neo4j.username, 'neo4j');
  assert.equal(config.neo4j.password, 's3cret-pw');
  const message = failure(['--stdin'], { NEO4J_URI: 'http://host', NEO4J_PASSWORD: 's3cret-pw' });
  assert.match(message, /NEO4J_URI/);
  assert.doesNotMatch(message, /s3cret-pw/);
  assert.match(failure(['--stdin'], { NEO4J_URI: 'bolt://h:7687' }), /NEO4J_PASSWORD/);
});

test('each kind of bad value is refused with the flag or variable that carried it', () => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['--stdin', '--http-port', 'abc'], {}, /^--http-port: expected a whole number/],
    [['--stdin'], { MATCHER_HTTP_PORT: '70000' }, /^MATCHER_HTTP_PORT: .*65535/],
    [['--stdin'], { MATCHER_HTTP_PORT: '-1' }, /^MATCHER_HTTP_PORT: expected a whole number/],
    [['--stdin', '--flush-interval-ms', '1.5'], {}, /^--flush-interval-ms: expected a whole number/],
    [['--stdin', '--tail-start-at', 'middle'], {}, /^--tail-start-at: .*"beginning"/],
    [['--stdin'], { MATCHER_LOG_LEVEL: 'loud' }, /^MATCHER_LOG_LEVEL: .*"info"/],
    [[], { MATCHER_STDIN: 'maybe' }, /^MATCHER_STDIN: expected true or false/],
    [['--stdin', '--kube-label-selector', 'a=b=c'], {}, /^--kube-label-selector: expected a label selector/],
    [['--stdin', '--state-dir', ' '], {}, /^--state-dir: must not be empty/],
    [['--stdin', '--indicator-refresh-interval-ms', '5'], {}, /^--indicator-refresh-interval-ms: .*100/],
    [['--stdin', '--cluster-name', ''], {}, /^--cluster-name: must not be empty/],
  ];
  for (const [args, env, expected] of cases) {
    assert.match(failure(args, env), expected, `${args.join(' ')} ${JSON.stringify(env)}`);
  }
});

test('several bad settings are all reported, one line each', () => {
  const lines = failure(['--stdin', '--http-port', 'x'], { MATCHER_LOG_LEVEL: 'loud' }).split('\n');
  assert.equal(lines.length, 2);
});

test('no source at all is an error that says how to configure one', () => {
  const message = failure([], {});
  assert.match(message, /^No source configured/);
  for (const hint of [
    '--tail',
    'MATCHER_TAIL_PATHS',
    '--kube-label-selector',
    '--audit-webhook-port',
    '--stdin',
  ]) {
    assert.ok(message.includes(hint), hint);
  }
});

test('docs/configuration.md lists every flag and environment variable', () => {
  const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');
  for (const source of Object.values(settingSources)) {
    assert.ok(docs.includes(`\`--${source.flag}`), source.flag);
    if (source.env !== undefined) assert.ok(docs.includes(`\`${source.env}\``), source.env);
  }
});

test('the correlation settings reach the engine; the rest of its settings keep their defaults', () => {
  const config = resolve([
    '--stdin',
    '--correlation-horizon-ms',
    '600000',
    '--out-of-order-tolerance-ms',
    '250',
    '--max-partial-per-indicator',
    '50',
  ]);
  const engine = engineConfigOf(config);
  assert.equal(engine.defaultHorizonMs, 600_000);
  assert.equal(engine.outOfOrderToleranceMs, 250);
  assert.equal(engine.maxPartialPerIndicator, 50);
  assert.deepEqual(
    { ...engineConfigOf(resolve(['--stdin'])), maxPartialPerIndicator: 50 },
    { ...engine, defaultHorizonMs: 3_600_000, outOfOrderToleranceMs: 5000 },
  );
  assert.match(failure(['--stdin', '--max-partial-per-indicator', '0']), /max-partial-per-indicator/);
});
