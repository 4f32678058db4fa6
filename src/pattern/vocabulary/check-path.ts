/**
 * Checks an object path against the STIX 2.1 cyber-observable vocabulary: an unknown object type, a property
 * no object of the type has, or an extension the type does not define. Custom types, custom properties
 * and custom extensions are left alone.
 */
import type { ObjectPath, PathStep, Span } from '../ast.js';
import {
  commonScoProperties,
  isCustomExtensionName,
  isCustomObjectType,
  isCustomPropertyName,
  scoTypeRecord,
  stix21ScoTypes,
  type PropertyShape,
  type PropertyTable,
} from './stix21-sco.js';

export interface PathFinding extends Span {
  readonly code: 'unknown-object-type' | 'unknown-property' | 'unknown-extension';
  readonly message: string;
  readonly hint?: string;
}

/** STIX 2.0 names that STIX 2.1 renamed or moved, by object type; suggested alongside close matches. */
const renamedIn21: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  file: {
    path: ['name'],
    created: ['ctime'],
    modified: ['mtime'],
    accessed: ['atime'],
  },
  process: {
    name: ['image_ref.name'],
    arguments: ['command_line'],
    created: ['created_time'],
    binary_ref: ['image_ref'],
  },
};

/** Where the walk stands: the property tables that apply here, and the object types they belong to. */
interface Position {
  readonly tables: readonly PropertyTable[];
  readonly types: readonly string[];
}

export function checkObjectPath(path: ObjectPath): PathFinding | undefined {
  const type = path.objectType;
  if (isCustomObjectType(type)) return undefined;
  if (scoTypeRecord(type) === undefined) return unknownType(path);
  let position: Position | undefined = positionOfTypes([type]);
  let index = 0;
  while (position !== undefined && index < path.steps.length) {
    const step = path.steps[index];
    index += 1;
    if (step === undefined || step.kind !== 'property') continue;
    if (isCustomPropertyName(step.name)) return undefined;
    if (step.name === 'extensions' && position.types.length > 0) {
      const extension = path.steps[index];
      if (extension?.kind !== 'property') return undefined;
      index += 1;
      const entered = enterExtension(position, extension);
      if (entered === 'stop' || 'code' in entered) return entered === 'stop' ? undefined : entered;
      position = entered;
      continue;
    }
    const shape = findShape(position.tables, step.name);
    if (shape === undefined) return unknownProperty(path, step, position);
    const next = positionAfter(shape, index < path.steps.length);
    if (next === 'stop') return undefined;
    if (next === 'scalar') return propertyOfScalar(path, index);
    position = next;
  }
  return undefined;
}

function positionOfTypes(types: readonly string[]): Position | undefined {
  if (types.includes('*')) return undefined;
  const records = types.map(scoTypeRecord);
  // A reference to something outside the table (a marking definition, a custom type): stop checking.
  if (records.some((record) => record === undefined)) return undefined;
  return {
    tables: records.map((record) => ({ ...commonScoProperties, ...record?.properties })),
    types,
  };
}

/** After a property: into the referenced objects, into a sub-object, or nowhere ('stop' or 'scalar'). */
function positionAfter(shape: PropertyShape, more: boolean): Position | 'stop' | 'scalar' {
  if (shape.dictionary === true || !more) return 'stop';
  if (shape.refersTo !== undefined) return positionOfTypes(shape.refersTo) ?? 'stop';
  if (shape.properties !== undefined) return { tables: [shape.properties], types: [] };
  return 'scalar';
}

function findShape(tables: readonly PropertyTable[], name: string): PropertyShape | undefined {
  for (const table of tables) {
    if (Object.hasOwn(table, name)) return table[name];
  }
  return undefined;
}

/** Into a predefined extension's properties; 'stop' at a custom extension; a finding for an unknown one. */
function enterExtension(
  position: Position,
  extension: PathStep & { kind: 'property' },
): PathFinding | Position | 'stop' {
  const name = extension.name;
  const defined = position.types.flatMap((type) => Object.entries(scoTypeRecord(type)?.extensions ?? {}));
  const found = defined.find(([extensionName]) => extensionName === name);
  if (found !== undefined) return { tables: [found[1]], types: [] };
  if (isCustomExtensionName(name)) return 'stop';
  const names = defined.map(([extensionName]) => extensionName);
  return {
    code: 'unknown-extension',
    start: extension.start,
    end: extension.end,
    message: `'${name}' is not an extension of ${position.types.join(' or ')}`,
    hint:
      names.length > 0
        ? `Predefined extensions here: ${names.join(', ')}; a custom extension is named extension-definition--<uuid>.`
        : `${position.types.join(' or ')} has no predefined extensions; a custom extension is named extension-definition--<uuid>.`,
  };
}

function unknownType(path: ObjectPath): PathFinding {
  const known = stix21ScoTypes.map((record) => record.type);
  // Same name after the first hyphen: win-registry-key → windows-registry-key.
  const suffix = path.objectType.slice(path.objectType.indexOf('-') + 1);
  const sameSuffix = suffix.includes('-') ? known.filter((type) => type.endsWith(`-${suffix}`)) : [];
  const close = [...new Set([...closestNames(path.objectType, known), ...sameSuffix])];
  return {
    code: 'unknown-object-type',
    start: path.start,
    end: path.start + path.objectType.length,
    message: `'${path.objectType}' is not a STIX 2.1 cyber-observable type`,
    ...(close.length > 0
      ? { hint: `Did you mean ${close.map((name) => `'${name}'`).join(' or ')}? Custom types are named x-….` }
      : {}),
  };
}

function unknownProperty(
  path: ObjectPath,
  step: PathStep & { kind: 'property' },
  position: Position,
): PathFinding {
  const prefix = pathText(path, path.steps.indexOf(step));
  const names = position.tables.flatMap((table) => Object.keys(table));
  const renamed = position.types.flatMap((type) => renamedIn21[type]?.[step.name] ?? []);
  const viaReference = referencesHaving(position.tables, step.name).map((ref) => `${ref}.${step.name}`);
  const suggestions = [...new Set([...viaReference, ...renamed, ...closestNames(step.name, names)])];
  const owner = position.types.length > 0 ? position.types.join(' or ') : 'this object';
  return {
    code: 'unknown-property',
    start: step.start,
    end: step.end,
    message: `${owner} has no property '${step.name}'`,
    ...(suggestions.length > 0
      ? {
          hint: `Did you mean ${suggestions.map((s) => joinPath(prefix, s)).join(' or ')}? Custom properties are named x_….`,
        }
      : {}),
  };
}

function propertyOfScalar(path: ObjectPath, index: number): PathFinding | undefined {
  const step = path.steps[index];
  if (step?.kind !== 'property') return undefined;
  const parent = pathText(path, index);
  return {
    code: 'unknown-property',
    start: step.start,
    end: step.end,
    message: `${parent} is a plain value; it has no property '${step.name}'`,
  };
}

/** The reference properties among `tables` whose target objects have a property `name`. */
function referencesHaving(tables: readonly PropertyTable[], name: string): string[] {
  const found: string[] = [];
  for (const table of tables) {
    for (const [ref, shape] of Object.entries(table)) {
      const targets = shape.refersTo?.map(scoTypeRecord) ?? [];
      if (targets.some((record) => record !== undefined && Object.hasOwn(record.properties, name))) {
        found.push(ref);
      }
    }
  }
  return found;
}

/** `type:step.step` up to (not including) step `count`. */
function pathText(path: ObjectPath, count: number): string {
  return `${path.objectType}:${formatSteps(path.steps.slice(0, count))}`;
}

/** Path steps as written in a pattern: `name.sub[0][*].'x-y'`. */
export function formatSteps(steps: readonly PathStep[]): string {
  return steps
    .map((step, i) => {
      if (step.kind === 'index') return `[${step.index}]`;
      if (step.kind === 'any') return '[*]';
      const name = /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(step.name)
        ? step.name
        : `'${step.name.replace(/[\\']/g, '\\$&')}'`;
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}

function joinPath(prefix: string, rest: string): string {
  return prefix.endsWith(':') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

/** Names within a small edit distance of `name`, closest first. */
export function closestNames(name: string, candidates: readonly string[]): string[] {
  const limit = name.length <= 4 ? 1 : 2;
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, distance: editDistance(name, candidate, limit) }))
    .filter(({ distance }) => distance <= limit)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

/** Levenshtein distance, giving up (returning limit + 1) as soon as it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}
