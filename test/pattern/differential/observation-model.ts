/**
 * The generator's observations: observed-data whose objects carry local keys, rendered either as a STIX 2.1
 * bundle (ids, object_refs, and objects left out of object_refs) or as STIX 2.0 observed-data (embedded
 * objects keyed by the local keys).
 */
import type { StixVersion } from '../conformance/case.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ModelObject {
  readonly key: string;
  readonly type: string;
  /** Properties; reference properties (`*_ref`, `*_refs`) hold local keys. */
  readonly properties: Readonly<Record<string, JsonValue>>;
  /** Present in the bundle but not in object_refs (2.1 only; left out entirely in 2.0). */
  readonly unlisted?: boolean;
}

export interface ObservedModel {
  readonly first: string;
  readonly last: string;
  readonly count: number;
  readonly objects: readonly ModelObject[];
}

function uuid(caseIndex: number, n: number): string {
  return `00000000-0000-4000-8000-${(caseIndex * 4096 + n).toString(16).padStart(12, '0')}`;
}

function isReference(name: string): boolean {
  return name.endsWith('_ref') || name.endsWith('_refs');
}

function mapReferences(
  properties: Readonly<Record<string, JsonValue>>,
  resolve: (key: string) => string,
): Record<string, JsonValue> {
  const mapped: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(properties)) {
    if (isReference(name) && typeof value === 'string') mapped[name] = resolve(value);
    else if (isReference(name) && Array.isArray(value))
      mapped[name] = value.map((v) => (typeof v === 'string' ? resolve(v) : v));
    else mapped[name] = value;
  }
  return mapped;
}

function render21(models: readonly ObservedModel[], caseIndex: number): unknown[] {
  let counter = 0;
  const next = (): string => {
    counter += 1;
    return uuid(caseIndex, counter);
  };
  return models.map((model) => {
    const ids = new Map(model.objects.map((object) => [object.key, `${object.type}--${next()}`]));
    const resolve = (key: string): string => ids.get(key) ?? `x-missing--${uuid(caseIndex, 4095)}`;
    const objects = model.objects.map((object) => ({
      type: object.type,
      spec_version: '2.1',
      id: resolve(object.key),
      ...mapReferences(object.properties, resolve),
    }));
    return {
      type: 'bundle',
      id: `bundle--${next()}`,
      objects: [
        {
          type: 'observed-data',
          spec_version: '2.1',
          id: `observed-data--${next()}`,
          created: model.first,
          modified: model.first,
          first_observed: model.first,
          last_observed: model.last,
          number_observed: model.count,
          object_refs: model.objects.filter((o) => o.unlisted !== true).map((o) => resolve(o.key)),
        },
        ...objects,
      ],
    };
  });
}

function render20(models: readonly ObservedModel[], caseIndex: number): unknown[] {
  return models.map((model, index) => ({
    type: 'observed-data',
    id: `observed-data--${uuid(caseIndex, index + 1)}`,
    created: model.first,
    modified: model.first,
    first_observed: model.first,
    last_observed: model.last,
    number_observed: model.count,
    objects: Object.fromEntries(
      model.objects
        .filter((object) => object.unlisted !== true)
        .map((object) => [object.key, { type: object.type, ...object.properties }]),
    ),
  }));
}

export function renderObservations(
  models: readonly ObservedModel[],
  version: StixVersion,
  caseIndex: number,
): unknown[] {
  return version === '2.1' ? render21(models, caseIndex) : render20(models, caseIndex);
}
