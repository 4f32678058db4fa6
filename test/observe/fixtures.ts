import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation, Skip, StixObject } from '../../src/contracts.js';
import { createObserver, isSkip, type Observer } from '../../src/observe/index.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'observe');

/** The non-empty lines of a fixture under test/fixtures/observe/. */
export function fixtureLines(name: string): string[] {
  return readFileSync(join(fixtures, name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** Every result of every line of a fixture, in order, through one observer. */
export function observeFixture(name: string, observer: Observer = createObserver()): (Observation | Skip)[] {
  return fixtureLines(name).flatMap((text, index) =>
    observer.observeAll({ text, origin: { source: name, line: index + 1 } }),
  );
}

/** The observation of one line (fails the test on a skip). */
export function observeText(text: string, observer: Observer = createObserver()): Observation {
  const result = observer.observe({ text, origin: { source: 'test' } });
  if (isSkip(result)) throw new Error(`expected an observation, got ${result.reason}: ${result.detail}`);
  return result;
}

/** The objects of an observation of `type`, in object_refs order. */
export function objectsOfType(observation: Observation, type: string): StixObject[] {
  return [...observation.objects.values()].filter((object) => object.type === type);
}

/** The object a reference names; fails when it is missing. */
export function deref(observation: Observation, ref: unknown): StixObject {
  const object = typeof ref === 'string' ? observation.objects.get(ref) : undefined;
  if (object === undefined) throw new Error(`reference ${String(ref)} is not in the observation`);
  return object;
}

/** The subject of the event: the first object of object_refs. */
export function subject(observation: Observation): StixObject {
  const refs = observation.observedData.object_refs;
  return deref(observation, Array.isArray(refs) ? refs[0] : undefined);
}

export const ALL_FIXTURES = [
  'upstream/tetragon-docs-samples.jsonl',
  'upstream/falco-kubescape-samples.jsonl',
  'tetragon.jsonl',
  'k8s-audit.jsonl',
  'falco.jsonl',
  'kubescape.jsonl',
] as const;
