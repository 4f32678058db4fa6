/** Seeded (pattern, observations) cases for the differential test, and their rendering to engine input. */
import type { StixVersion } from '../conformance/case.js';
import { generateObserved } from './object-generator.js';
import { renderObservations, type JsonValue, type ObservedModel } from './observation-model.js';
import { generatePattern, type Present } from './pattern-generator.js';
import { renderObservation, type ObservationNode, type Repairs } from './pattern-tree.js';
import { Prng } from './prng.js';

export interface GeneratedCase {
  readonly index: number;
  readonly version: StixVersion;
  readonly tree: ObservationNode;
  readonly observed: readonly ObservedModel[];
}

function leavesIn(value: JsonValue): JsonValue[] {
  if (Array.isArray(value)) return value.flatMap(leavesIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(leavesIn);
  return [value];
}

/** The object types, strings and numbers of the observations (reference keys excluded). */
function presentIn(observed: readonly ObservedModel[]): Present {
  const objects = observed.flatMap((model) => model.objects);
  const leaves = objects.flatMap((object) =>
    Object.entries(object.properties)
      .filter(([name]) => !name.endsWith('_ref') && !name.endsWith('_refs'))
      .flatMap(([, value]) => leavesIn(value)),
  );
  return {
    types: [...new Set(objects.map((object) => object.type))],
    strings: [...new Set(leaves.filter((v) => typeof v === 'string'))],
    numbers: [...new Set(leaves.filter((v) => typeof v === 'number'))],
  };
}

export interface CaseInput {
  readonly pattern: string;
  readonly observations: readonly unknown[];
  readonly version: StixVersion;
}

/** `count` cases from `seed`; about `share20` of them in STIX 2.0 mode. The same seed gives the same cases. */
export function generateCases(seed: number, count: number, share20: number): GeneratedCase[] {
  const rng = new Prng(seed);
  return Array.from({ length: count }, (_, index) => {
    const version: StixVersion = rng.chance(share20) ? '2.0' : '2.1';
    const observed = generateObserved(rng, version);
    return { index, version, tree: generatePattern(rng, version, presentIn(observed)), observed };
  });
}

export function caseInput(generated: GeneratedCase, repairs: Repairs = {}): CaseInput {
  return {
    pattern: renderObservation(generated.tree, repairs),
    observations: renderObservations(generated.observed, generated.version, generated.index),
    version: generated.version,
  };
}
