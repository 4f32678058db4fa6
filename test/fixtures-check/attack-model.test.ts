/**
 * Checks the proof data without the project's engine: the corrected HostPath model is valid STIX
 * per the OASIS validator, and the OASIS reference matcher, run on observed-data written by hand
 * for key lines of the recording (following the mapping of issue 3), sights with each indicator
 * exactly the lines test/fixtures/attacks/hostpath/expected-sightings.json lists for it.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildRecording, expectedSightings } from '../fixtures/attacks/hostpath/build.js';
import { type MatchAnswer, referenceMatch, referenceValidate } from './reference.js';

const root = join(import.meta.dirname, '..', '..');
const recordingDir = join(root, 'test', 'fixtures', 'attacks', 'hostpath');
const correctedPath = join(root, 'stix', 'examples', 'hostpath-attack-model.json');
const upstreamPath = join(root, 'stix', 'examples', 'upstream-hostpath-attack-model.json');

interface StixObject {
  readonly type: string;
  readonly id: string;
  readonly [key: string]: unknown;
}

interface HandWritten {
  readonly file: string;
  /** `tetragon.log:436` */
  readonly recording: string;
  /** Name of the attack-pattern of the step. */
  readonly step: string;
  readonly bundle: { readonly objects: readonly StixObject[] };
}

interface Indicator {
  readonly id: string;
  readonly name: string;
  readonly pattern: string;
  readonly attackPattern: string;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

function indicatorsOf(path: string): Indicator[] {
  const objects = (readJson(path) as { objects: StixObject[] }).objects;
  const byId = new Map(objects.map((o) => [o.id, o]));
  return objects
    .filter((o) => o.type === 'indicator')
    .map((o) => {
      const indicates = objects.find(
        (r) => r.type === 'relationship' && r.relationship_type === 'indicates' && r.source_ref === o.id,
      );
      const attackPattern = byId.get(String(indicates?.target_ref));
      return {
        id: o.id,
        name: String(o.name),
        pattern: String(o.pattern),
        attackPattern: String(attackPattern?.name),
      };
    });
}

const observedDir = join(import.meta.dirname, 'observed');
const handWritten: HandWritten[] = readdirSync(observedDir)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, ...(readJson(join(observedDir, file)) as Omit<HandWritten, 'file'>) }));

const expected = readJson(join(recordingDir, 'expected-sightings.json')) as Record<
  string,
  { file: string; line: number }[]
>;
const expectedLines = (id: string): Set<string> =>
  new Set((expected[id] ?? []).map((l) => `${l.file}:${l.line}`));

const corrected = indicatorsOf(correctedPath);
const upstream = indicatorsOf(upstreamPath);
const isMulti = (pattern: string): boolean => /\]\s*(FOLLOWEDBY|AND|OR)\s*\[/.test(pattern);

function observedDataOf(item: HandWritten): StixObject {
  const found = item.bundle.objects.find((o) => o.type === 'observed-data');
  assert.ok(found, `${item.file} has no observed-data`);
  return found;
}

test('the recording and its expected sightings are what build.ts makes of attack.ts and the benign generator', () => {
  const recording = buildRecording();
  for (const [file, lines] of Object.entries(recording.files)) {
    assert.equal(
      readFileSync(join(recordingDir, file), 'utf8'),
      lines.join('\n') + '\n',
      `${file} is up to date`,
    );
  }
  assert.deepEqual(expected, expectedSightings(recording));
});

test('the hand-written observed-data is of the recording lines it names (same event time)', () => {
  assert.ok(handWritten.length >= 10);
  for (const item of handWritten) {
    const [file, lineNumber] = item.recording.split(':');
    const text = readFileSync(join(recordingDir, String(file)), 'utf8').split('\n')[Number(lineNumber) - 1];
    assert.ok(text !== undefined, `${item.recording} exists`);
    const event = JSON.parse(text) as { time?: string; stageTimestamp?: string };
    const eventTime = event.time ?? event.stageTimestamp;
    assert.equal(
      observedDataOf(item).first_observed,
      eventTime,
      `${item.file} is the event of ${item.recording}`,
    );
  }
});

test('the corrected model is valid STIX 2.1 per the OASIS validator, without warnings', () => {
  const result = referenceValidate(correctedPath);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.warnings, []);
  assert.equal(result.valid, true);
});

test('the upstream model is not valid STIX 2.1 per the OASIS validator (kept unchanged)', () => {
  const result = referenceValidate(upstreamPath);
  assert.equal(result.valid, false);
  assert.ok(result.errors.some((e) => e.includes('Pattern failed to validate')));
});

test('every indicator the recording should sight exists in one of the models', () => {
  const known = new Set([...corrected, ...upstream].map((i) => i.id));
  for (const id of Object.keys(expected)) assert.ok(known.has(id), `${id} is an indicator`);
  for (const indicator of corrected)
    assert.ok((expected[indicator.id] ?? []).length > 0, `${indicator.name} sights something`);
});

test('each corrected indicator has a step, and every step has indicators', () => {
  const steps = new Set(handWritten.map((h) => h.step));
  for (const indicator of corrected)
    assert.ok(steps.has(indicator.attackPattern), `${indicator.name}: ${indicator.attackPattern}`);
  for (const step of steps)
    assert.ok(
      corrected.some((i) => i.attackPattern === step),
      step,
    );
});

/** One case per (single-observation indicator, hand-written event). */
function singleCases(indicators: readonly Indicator[]) {
  return indicators
    .filter((i) => !isMulti(i.pattern))
    .flatMap((indicator) => handWritten.map((item) => ({ indicator, item })));
}

function assertSightings(indicators: readonly Indicator[]): void {
  const cases = singleCases(indicators);
  const answers = referenceMatch(
    cases.map(({ indicator, item }) => ({ pattern: indicator.pattern, observations: [item.bundle] })),
  );
  cases.forEach(({ indicator, item }, index) => {
    const answer = answers[index] as MatchAnswer;
    assert.ok('matched' in answer, `${indicator.name}: ${'error' in answer ? answer.error : ''}`);
    const shouldMatch = expectedLines(indicator.id).has(item.recording);
    assert.equal(
      answer.matched,
      shouldMatch,
      `${indicator.name} ${shouldMatch ? 'must' : 'must not'} match ${item.file}`,
    );
    if (answer.matched)
      assert.equal(item.step, indicator.attackPattern, `${indicator.name} matches only its own step`);
  });
}

test('each single-observation corrected indicator sights exactly its expected lines, all of its own step', () => {
  assertSightings(corrected);
  for (const indicator of corrected.filter((i) => !isMulti(i.pattern))) {
    const sighted = handWritten.filter((h) => expectedLines(indicator.id).has(h.recording));
    assert.ok(sighted.length > 0, `${indicator.name} has hand-written observed-data to match`);
  }
});

/** A copy of a hand-written event, moved in time to `at` (ms since the epoch). */
function movedTo(item: HandWritten, at: number): HandWritten['bundle'] {
  const time = new Date(at).toISOString();
  return {
    ...item.bundle,
    objects: item.bundle.objects.map((o) =>
      o.type === 'observed-data' ? { ...o, first_observed: time, last_observed: time } : o,
    ),
  };
}

const timeOf = (item: HandWritten): number => Date.parse(String(observedDataOf(item).first_observed));

test('each multi-observation corrected indicator needs its observations, in order, within its window', () => {
  const multi = corrected.filter((i) => isMulti(i.pattern));
  assert.ok(multi.length >= 1);
  const ordered = (items: readonly HandWritten[]) => items.map((h) => h.bundle);
  const cases = multi.flatMap((indicator) => {
    const mine = handWritten.filter((h) => expectedLines(indicator.id).has(h.recording));
    const others = handWritten.filter((h) => !expectedLines(indicator.id).has(h.recording));
    assert.ok(mine.length >= 2, `${indicator.name} has observed-data for each of its parts`);
    const byTime = [...mine].sort((a, b) => timeOf(a) - timeOf(b));
    const [first, last] = [byTime[0] as HandWritten, byTime.at(-1) as HandWritten];
    const windowMs = Number(/WITHIN (\d+) SECONDS/.exec(indicator.pattern)?.[1]) * 1000;
    const before = byTime.slice(0, -1).map((h) => h.bundle);
    return [
      { indicator, want: false, observations: [...before, movedTo(last, timeOf(first) - 1000)] },
      { indicator, want: false, observations: [...before, movedTo(last, timeOf(first) + windowMs + 1000)] },
      { indicator, want: true, observations: [...before, movedTo(last, timeOf(first) + windowMs - 1000)] },
      { indicator, want: true, observations: ordered(handWritten) },
      { indicator, want: true, observations: ordered(mine) },
      { indicator, want: false, observations: ordered(others) },
      ...mine.map((one) => ({ indicator, want: false, observations: ordered([one]) })),
    ];
  });
  const answers = referenceMatch(
    cases.map((c) => ({ pattern: c.indicator.pattern, observations: c.observations })),
  );
  cases.forEach((c, index) => {
    assert.deepEqual(
      answers[index],
      { matched: c.want },
      `${c.indicator.name} on ${c.observations.length} observations`,
    );
  });
});

test('the upstream indicators: two do not parse, two never match, kubectl logs sights its lines', () => {
  const parse = referenceMatch(
    upstream.map((i) => ({ pattern: i.pattern, observations: handWritten.map((h) => h.bundle) })),
  );
  const unparsable = upstream
    .filter((_, index) => 'error' in (parse[index] as MatchAnswer))
    .map((i) => i.name);
  assert.deepEqual(unparsable.sort(), ['HostPath PV Creation', 'Pod Deployment with HostPath PVC']);
  const parsable = upstream.filter((i) => !unparsable.includes(i.name));
  assertSightings(parsable);
  const sighting = parsable.filter((i) => expectedLines(i.id).size > 0).map((i) => i.name);
  assert.deepEqual(sighting, ['Kubectl Logs Command Execution']);
});
