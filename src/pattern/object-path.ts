/**
 * Object paths (STIX 2.1 Part 9, object path syntax) compiled into walkers. A walker visits every value the
 * path selects in one root object and stops at the first value the test accepts, so "any value matches" costs
 * no allocation. Selection follows the reference matcher:
 * - a property step keeps dictionaries that have the key; `*_hex`/`*_bin` values become bytes;
 * - after a `*_ref` step the referenced object replaces the reference, after a `*_refs` step the list of
 *   referenced objects replaces the list (references that resolve to nothing drop out), whether or not more
 *   steps follow, so a reference itself never equals a string;
 * - `[n]` keeps lists long enough, `[*]` visits every element;
 * - values that cannot take a step drop out silently (never an error). Deviation: where the reference raises
 *   (a `*_hex`/`*_bin` value that does not decode, a reference that is not a string, `*_refs` that is not a
 *   list) the value drops out here too, so one malformed object cannot fail a whole batch.
 */
import type { PathStep } from './ast.js';
import { isJsonObject, type JsonObject, type ObservationView } from './observations.js';
import { decodeBase64, decodeHex } from './values/binary.js';

/** Calls `test` on each selected value until one passes; returns whether one did. */
export type PathWalker = (
  root: JsonObject,
  view: ObservationView,
  test: (value: unknown) => boolean,
) => boolean;

/** Visits what one step (and those compiled after it) selects from `value`; true stops the walk. */
export type PathVisit = (value: unknown, view: ObservationView, test: (value: unknown) => boolean) => boolean;
type Visit = PathVisit;

export function compilePath(steps: readonly PathStep[]): PathWalker {
  let visit: Visit = (value, _view, test) => test(value);
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    if (step !== undefined) visit = compilePathStep(step, visit);
  }
  const first = visit;
  return (root, view, test) => first(root, view, test);
}

/**
 * One step: selects from a value what the step names and hands each selected value to `next`. Exported so
 * an index can share the steps common to many paths (a trie of steps) with exactly these semantics.
 */
export function compilePathStep(step: PathStep, next: Visit): Visit {
  switch (step.kind) {
    case 'property':
      return compileProperty(step.name, next);
    case 'index': {
      const index = step.index;
      return (value, view, test) =>
        Array.isArray(value) && index >= 0 && index < value.length && next(value[index], view, test);
    }
    case 'any':
      return (value, view, test) =>
        Array.isArray(value) && value.some((element) => next(element, view, test));
  }
}

function compileProperty(name: string, next: Visit): Visit {
  const convert = suffixConversion(name);
  const read = (value: unknown): unknown =>
    isJsonObject(value) && Object.hasOwn(value, name) ? convert(value[name]) : undefined;
  if (name.endsWith('_ref')) {
    return (value, view, test) => {
      const target = dereference(read(value), view);
      return target !== undefined && next(target, view, test);
    };
  }
  if (name.endsWith('_refs')) {
    return (value, view, test) => {
      const targets = dereferenceList(read(value), view);
      return targets !== undefined && next(targets, view, test);
    };
  }
  return (value, view, test) => {
    const selected = read(value);
    return selected !== undefined && next(selected, view, test);
  };
}

/** `*_hex` and `*_bin` properties hold binary values (STIX 2.1 Part 2, binary and hex types). */
function suffixConversion(name: string): (value: unknown) => unknown {
  if (name.endsWith('_hex')) return (value) => (typeof value === 'string' ? decodeHex(value) : undefined);
  if (name.endsWith('_bin')) return (value) => (typeof value === 'string' ? decodeBase64(value) : undefined);
  return (value) => value;
}

function dereference(reference: unknown, view: ObservationView): JsonObject | undefined {
  return typeof reference === 'string' ? view.resolve(reference) : undefined;
}

/** The objects a reference list names, in order; undefined (no value) when it is not a list or none resolve. */
function dereferenceList(references: unknown, view: ObservationView): JsonObject[] | undefined {
  if (!Array.isArray(references)) return undefined;
  const targets: JsonObject[] = [];
  for (const reference of references) {
    const target = dereference(reference, view);
    if (target !== undefined) targets.push(target);
  }
  return targets.length > 0 ? targets : undefined;
}
