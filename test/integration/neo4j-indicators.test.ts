import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import type { StixObject } from '../../src/contracts.js';
import { DaemonMetrics, LiveIndicators } from '../../src/daemon/index.js';
import { activateIndicator, engineConfigSchema } from '../../src/engine/index.js';
import {
  CHECKED_PROPERTY,
  PATTERN_ERROR_PROPERTY,
  ensureSchema,
  createDriver,
  loadBundle,
  neo4jIndicatorProvider,
  readNeo4jCredentials,
  type StixBundle,
} from '../../src/neo4j/index.js';
import { MetricsRegistry } from '../../src/server/index.js';
import { deleteIds, newId, query, testCredentials, testDriver } from './neo4j-env.js';

const credentials = testCredentials();
const driver = testDriver(credentials);
const created: string[] = [];
before(() => ensureSchema(driver, credentials));
after(async () => {
  await deleteIds(driver, created);
  await driver.close();
});

async function load(objects: readonly StixObject[]): Promise<void> {
  created.push(...objects.map((o) => o.id));
  const bundle: StixBundle = { file: 'test', path: '$', id: newId('bundle'), objects };
  await loadBundle(driver, credentials, bundle);
}

function indicator(name: string, pattern: string, extra: Record<string, unknown> = {}): StixObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: newId('indicator'),
    created: '2025-01-01T00:00:00.000Z',
    modified: '2025-01-01T00:00:00.000Z',
    name,
    pattern,
    pattern_type: 'stix',
    valid_from: '2025-01-01T00:00:00Z',
    ...extra,
  };
}

function changed(object: StixObject, changes: Record<string, unknown>): StixObject {
  return { ...object, modified: '2025-02-01T00:00:00.000Z', ...changes };
}

const provider = neo4jIndicatorProvider(driver, credentials, { now: () => Date.UTC(2026, 0, 2) });

/** The live set as the daemon runs it: ids and patterns of the active indicators among `ours`. */
function activeSet(live: LiveIndicators, ours: readonly StixObject[]): Record<string, string> {
  const ids = new Set(ours.map((o) => o.id));
  return Object.fromEntries(
    live
      .engine()
      .indicators.filter((i) => ids.has(i.id))
      .map((i) => [i.id, i.pattern]),
  );
}

test('indicators come from Neo4j, and every change shows at the next load', async () => {
  const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((name) =>
    indicator(name, `[process:name = '${name}']`),
  ) as [StixObject, StixObject, StixObject, StixObject, StixObject];
  const sigma = indicator('sigma', 'title: x', { pattern_type: 'sigma' });
  await load([a, b, c, d, e, sigma]);
  const live = new LiveIndicators(
    provider,
    engineConfigSchema.parse({}),
    pino({ level: 'silent' }),
    new DaemonMetrics(new MetricsRegistry()),
  );

  const first = await provider.load();
  const ours = new Set([a, b, c, d, e, sigma].map((o) => o.id));
  assert.deepEqual(
    first.indicators.filter((i) => ours.has(i.id)),
    [a, b, c, d, e].sort((x, y) => x.id.localeCompare(y.id)),
    'the stored STIX, stix indicators only',
  );
  assert.equal(await live.refresh(), 'changed');
  const all = [a, b, c, d, e];
  assert.deepEqual(activeSet(live, all), Object.fromEntries(all.map((o) => [o.id, o.pattern])));

  const f = indicator('f', "[process:name = 'f']");
  await load([
    changed(a, { pattern: "[process:name = 'a2']" }),
    changed(b, { revoked: true }),
    changed(c, { valid_until: '2025-06-01T00:00:00Z' }),
    changed(d, { pattern: "[process:name = 'd'" }),
    f,
  ]);
  assert.equal(await live.refresh(), 'changed');
  assert.deepEqual(activeSet(live, [...all, f]), {
    [a.id]: "[process:name = 'a2']",
    [e.id]: e.pattern,
    [f.id]: f.pattern,
  });
  assert.equal(await live.refresh(), 'unchanged', 'nothing changed since');
});

test('a pattern that does not compile is marked on its node, which keeps its STIX and modified', async () => {
  const broken = indicator('broken', "[process:name = 'x' AND]");
  const fine = indicator('fine', "[process:name = 'y']");
  await load([broken, fine]);
  const snapshot = await provider.load();
  const rejections = snapshot.indicators.flatMap((i) => {
    const result = activateIndicator(i);
    return 'reason' in result && (i.id === broken.id || i.id === fine.id) ? [result] : [];
  });
  assert.deepEqual(
    rejections.map((r) => [r.id, r.reason]),
    [[broken.id, 'invalid-pattern']],
  );
  assert.equal(await provider.markRejected(rejections), 1);
  const read = async (id: string) =>
    (
      await query(
        driver,
        `MATCH (n:StixObject {id: $id}) RETURN n.${PATTERN_ERROR_PROPERTY} AS error, n.${CHECKED_PROPERTY} AS checked, n.stix_json AS json, n.modified AS modified`,
        { id },
      )
    ).at(0);
  const marked = await read(broken.id);
  assert.ok(marked !== undefined);
  assert.equal(marked.error, rejections[0]?.message);
  assert.equal(marked.checked, '2026-01-02T00:00:00.000Z');
  assert.deepEqual(JSON.parse(String(marked.json)), broken);
  assert.equal(marked.modified, broken.modified);
  assert.equal((await read(fine.id))?.error, null);
  assert.equal(await provider.markRejected(rejections), 0, 'marked once, not at every refresh');
  // The marked indicator still loads as it was.
  const again = await provider.load();
  assert.deepEqual(
    again.indicators.find((i) => i.id === broken.id),
    broken,
  );

  // Fixed by a newer version: the loader replaces the node's properties, and the mark is gone.
  const fixed = changed(broken, { pattern: "[process:name = 'x']" });
  await load([fixed]);
  assert.equal((await read(broken.id))?.error, null);
  // A rejection about the version loaded before is not written onto the newer one.
  assert.equal(await provider.markRejected(rejections), 0);
  assert.equal((await read(broken.id))?.error, null);
});

test('a node whose stored JSON is not a valid indicator is a problem, not a crash', async () => {
  const good = indicator('good', "[process:name = 'g']");
  await load([good]);
  const [notJson, noPattern] = [newId('indicator'), newId('indicator')];
  created.push(notJson, noPattern);
  await query(
    driver,
    `CREATE (:StixObject:Indicator {id: $notJson, type: 'indicator', pattern_type: 'stix', stix_json: '{not json'}),
            (:StixObject:Indicator {id: $noPattern, type: 'indicator', pattern_type: 'stix', stix_json: $json})`,
    {
      notJson,
      noPattern,
      json: JSON.stringify({
        type: 'indicator',
        id: noPattern,
        pattern_type: 'stix',
        valid_from: '2025-01-01T00:00:00Z',
      }),
    },
  );
  const snapshot = await provider.load();
  assert.ok(snapshot.indicators.some((i) => i.id === good.id));
  assert.ok(!snapshot.indicators.some((i) => i.id === notJson || i.id === noPattern));
  const problems = snapshot.problems.filter((p) => p.id === notJson || p.id === noPattern);
  assert.deepEqual(problems.map((p) => p.id).sort(), [notJson, noPattern].sort());
  assert.match(problems.find((p) => p.id === notJson)?.message ?? '', /does not parse/);
  assert.match(problems.find((p) => p.id === noPattern)?.message ?? '', /pattern/);
});

test('load() throws while Neo4j cannot be reached, so the daemon keeps its last set', async () => {
  const unreachable = readNeo4jCredentials({
    NEO4J_URI: 'bolt://127.0.0.1:1',
    NEO4J_USERNAME: 'neo4j',
    NEO4J_PASSWORD: 'unused',
  });
  assert.ok(unreachable !== undefined);
  const deadDriver = createDriver(unreachable, { connectionTimeoutMs: 2000 });
  try {
    await assert.rejects(neo4jIndicatorProvider(deadDriver, unreachable).load());
  } finally {
    await deadDriver.close();
  }
});
