/**
 * Reads STIX 2.1 bundle files for `matcher load`: a bundle, or a JSON array of bundles. Validation collects
 * every fault of a bundle as a diagnostic with the file, the object's index and the JSON path; a bundle
 * with any error is rejected whole, the others in the file stay loadable.
 */
import { z } from 'zod';
import type { StixObject } from '../contracts.js';
import { REF_PROPERTY, RELATIONSHIP_TYPE, TYPE_NAME, hasUuid, typeOfId } from './graph-model.js';

export type BundleDiagnosticCode = 'invalid-json' | 'invalid-bundle' | 'invalid-object' | 'non-uuid-id';

/** One record per code: what it means and what to do about it. */
export const bundleDiagnosticCodes: Readonly<Record<BundleDiagnosticCode, { title: string; hint: string }>> =
  {
    'invalid-json': {
      title: 'The file cannot be read as JSON.',
      hint: 'Check that the file exists and holds one JSON document: a bundle, or an array of bundles.',
    },
    'invalid-bundle': {
      title: 'Not a STIX bundle.',
      hint: "A bundle is an object with type 'bundle', an id 'bundle--<uuid>' and a list 'objects'.",
    },
    'invalid-object': {
      title: 'A malformed STIX object; its bundle is not loaded.',
      hint: 'Fix the property at the path shown; nothing of this bundle was written.',
    },
    'non-uuid-id': {
      title: 'An id that does not end in a UUID.',
      hint: 'STIX 2.1 ids are <type>--<UUID>; the object is loaded anyway, under the id as written.',
    },
  };

export interface BundleDiagnostic {
  readonly code: BundleDiagnosticCode;
  readonly severity: 'error' | 'warning';
  readonly file: string;
  /** JSON path of the fault within the file, e.g. `$[1].objects[3].source_ref`. */
  readonly path: string;
  /** Index of the object within its bundle's `objects`, when the fault is in an object. */
  readonly objectIndex?: number;
  readonly objectId?: string;
  readonly message: string;
}

export interface StixBundle {
  readonly file: string;
  readonly id: string;
  /** Where the bundle is in the file: `$` or `$[i]`. */
  readonly path: string;
  readonly objects: readonly StixObject[];
}

export interface BundleFile {
  readonly file: string;
  /** The bundles without errors, in file order. */
  readonly bundles: readonly StixBundle[];
  /** How many bundles were rejected for errors. */
  readonly rejected: number;
  readonly diagnostics: readonly BundleDiagnostic[];
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const PROPERTY_NAME = /^[a-z0-9_]{1,250}$/;
const timestampMessage = 'expected a STIX timestamp such as 2024-01-01T00:00:00Z';
const idMessage = "expected a STIX id such as 'indicator--<uuid>'";
/** Properties holding timestamps that the loader and the engine compare. */
const timestampProperties = ['created', 'modified', 'valid_from', 'valid_until', 'first_seen', 'last_seen'];

const stixId = z.string().refine((id) => typeOfId(id) !== undefined && /^[^\s]+--\S+$/.test(id), idMessage);

const bundleSchema = z.object({
  type: z.literal('bundle', { error: "expected type 'bundle'" }),
  id: stixId,
  objects: z.array(z.unknown()).optional(),
});

const objectSchema = z
  .looseObject({
    type: z.string().regex(TYPE_NAME, 'expected a STIX type name (lowercase words joined by hyphens)'),
    id: stixId,
  })
  .superRefine((object, ctx) => {
    if (typeOfId(object.id) !== object.type) {
      ctx.addIssue({
        code: 'custom',
        path: ['id'],
        message: `expected an id starting with '${object.type}--'`,
      });
    }
    for (const [name, value] of Object.entries(object)) checkProperty(name, value, ctx);
    checkRequired(object, ctx);
  });

type Context = z.RefinementCtx;

function checkProperty(name: string, value: unknown, ctx: Context): void {
  if (!PROPERTY_NAME.test(name)) {
    ctx.addIssue({ code: 'custom', path: [name], message: 'expected a property name of a-z, 0-9 and _' });
    return;
  }
  if (value === null) ctx.addIssue({ code: 'custom', path: [name], message: 'null is not allowed in STIX' });
  if (timestampProperties.includes(name) && !(typeof value === 'string' && TIMESTAMP.test(value))) {
    ctx.addIssue({ code: 'custom', path: [name], message: timestampMessage });
  }
  if (name.endsWith('_ref') || name.endsWith('_refs')) checkReference(name, value, ctx);
}

function checkReference(name: string, value: unknown, ctx: Context): void {
  if (!REF_PROPERTY.test(name)) {
    ctx.addIssue({
      code: 'custom',
      path: [name],
      message: 'expected a reference property name in snake case',
    });
    return;
  }
  const many = name.endsWith('_refs');
  if (many && !Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', path: [name], message: 'expected a list of STIX ids' });
    return;
  }
  const ids: unknown[] = many ? (value as unknown[]) : [value];
  ids.forEach((id, index) => {
    if (typeof id !== 'string' || !stixId.safeParse(id).success) {
      ctx.addIssue({ code: 'custom', path: many ? [name, index] : [name], message: idMessage });
    }
  });
}

const relationshipTypeMessage =
  "expected a relationship type such as 'uses' or 'related-to' (a-z, 0-9, - and _; at most 250)";

function isRelationshipType(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 250 && RELATIONSHIP_TYPE.test(value);
}

/** The few type-specific properties the graph and the matcher rely on. */
function checkRequired(object: Record<string, unknown>, ctx: Context): void {
  const require = (name: string, check: (value: unknown) => boolean, message: string): void => {
    if (!check(object[name])) ctx.addIssue({ code: 'custom', path: [name], message });
  };
  const isString = (value: unknown): boolean => typeof value === 'string' && value !== '';
  if (object.type === 'relationship') {
    require('relationship_type', isRelationshipType, relationshipTypeMessage);
    require('source_ref', isString, idMessage);
    require('target_ref', isString, idMessage);
  }
  if (object.type === 'sighting') require('sighting_of_ref', isString, idMessage);
  if (object.type === 'indicator') {
    require('pattern', isString, 'expected the pattern as a string');
    require('pattern_type', isString, "expected a pattern type such as 'stix'");
  }
}

function jsonPath(base: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${text}.${name}` : `${text}[${JSON.stringify(name)}]`;
  }, base);
}

function validateObject(
  value: unknown,
  file: string,
  base: string,
  objectIndex: number,
): { object?: StixObject; diagnostics: BundleDiagnostic[] } {
  const parsed = objectSchema.safeParse(value);
  const objectId = (value as { id?: unknown } | null)?.id;
  const where = { file, objectIndex, ...(typeof objectId === 'string' ? { objectId } : {}) };
  if (!parsed.success) {
    const diagnostics = parsed.error.issues.map((issue) => ({
      code: 'invalid-object' as const,
      severity: 'error' as const,
      ...where,
      path: jsonPath(base, issue.path),
      message:
        issue.code === 'invalid_type' && issue.path.length === 0 ? 'expected an object' : issue.message,
    }));
    return { diagnostics };
  }
  const object = parsed.data as StixObject;
  const diagnostics: BundleDiagnostic[] = hasUuid(object.id)
    ? []
    : [
        {
          code: 'non-uuid-id',
          severity: 'warning',
          ...where,
          path: jsonPath(base, ['id']),
          message: `the id '${object.id}' does not end in a UUID; loaded as it is`,
        },
      ];
  return { object, diagnostics };
}

function validateBundle(
  value: unknown,
  file: string,
  path: string,
): { bundle?: StixBundle; diagnostics: BundleDiagnostic[] } {
  const envelope = bundleSchema.safeParse(value);
  if (!envelope.success) {
    const diagnostics = envelope.error.issues.map((issue) => ({
      code: 'invalid-bundle' as const,
      severity: 'error' as const,
      file,
      path: jsonPath(path, issue.path),
      message: issue.path.length === 0 ? 'expected a STIX bundle object' : issue.message,
    }));
    return { diagnostics };
  }
  const objects: StixObject[] = [];
  const diagnostics: BundleDiagnostic[] = [];
  (envelope.data.objects ?? []).forEach((item, index) => {
    const result = validateObject(item, file, `${path}.objects[${index}]`, index);
    diagnostics.push(...result.diagnostics);
    if (result.object !== undefined) objects.push(result.object);
  });
  const failed = diagnostics.some((d) => d.severity === 'error');
  return failed ? { diagnostics } : { bundle: { file, id: envelope.data.id, path, objects }, diagnostics };
}

/** Parses and validates the text of one file; never throws. */
export function parseBundleFile(text: string, file: string): BundleFile {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      file,
      bundles: [],
      rejected: 1,
      diagnostics: [{ code: 'invalid-json', severity: 'error', file, path: '$', message }],
    };
  }
  const entries = Array.isArray(document)
    ? (document as unknown[]).map((value, index) => ({ value, path: `$[${index}]` }))
    : [{ value: document, path: '$' }];
  const bundles: StixBundle[] = [];
  const diagnostics: BundleDiagnostic[] = [];
  for (const entry of entries) {
    const result = validateBundle(entry.value, file, entry.path);
    diagnostics.push(...result.diagnostics);
    if (result.bundle !== undefined) bundles.push(result.bundle);
  }
  return { file, bundles, rejected: entries.length - bundles.length, diagnostics };
}

/** One line for people: `file: $.objects[3].source_ref (object 3, relationship--…): error: message`. */
export function formatDiagnostic(diagnostic: BundleDiagnostic): string {
  const object =
    diagnostic.objectIndex === undefined
      ? ''
      : ` (object ${diagnostic.objectIndex}${diagnostic.objectId === undefined ? '' : `, ${diagnostic.objectId}`})`;
  return `${diagnostic.file}: ${diagnostic.path}${object}: ${diagnostic.severity} [${diagnostic.code}]: ${diagnostic.message}`;
}
