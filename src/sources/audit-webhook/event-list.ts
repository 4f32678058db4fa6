import { z } from 'zod';

/**
 * The `audit.k8s.io/v1` EventList that kube-apiserver's audit webhook posts, and how each of its
 * events becomes one line of text that reads like a line of the audit log file.
 */

const AuditEventSchema = z.looseObject({
  kind: z.literal('Event').optional(),
  apiVersion: z.literal('audit.k8s.io/v1').optional(),
  level: z.string().min(1),
  auditID: z.string().min(1),
  stage: z.string().min(1),
  verb: z.string(),
  requestURI: z.string(),
});

export const EventListSchema = z.looseObject({
  kind: z.literal('EventList'),
  apiVersion: z.literal('audit.k8s.io/v1'),
  items: z.array(AuditEventSchema),
});

export type EventListParse =
  { readonly ok: true; readonly events: string[] } | { readonly ok: false; readonly message: string };

/**
 * Validates a body and returns each event as JSON text. The text is cut from the body, not
 * re-serialised, so numbers beyond 2^53 keep their digits; `kind` and `apiVersion` are added
 * when an item leaves them out, as the audit log file has them on every line.
 */
export function parseEventList(body: string): EventListParse {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return {
      ok: false,
      message: `The body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const parsed = EventListSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      message: `The body is not an audit.k8s.io/v1 EventList:\n${z.prettifyError(parsed.error)}`,
    };
  }
  const spans = arrayElementSpans(body, 'items') ?? [];
  if (spans.length !== parsed.data.items.length) {
    return { ok: false, message: 'The items of the EventList could not be located in the body.' };
  }
  return {
    ok: true,
    events: spans.map(([start, end], index) =>
      withTypeFields(body.slice(start, end), parsed.data.items[index]),
    ),
  };
}

function withTypeFields(text: string, event: z.infer<typeof AuditEventSchema> | undefined): string {
  const missing: string[] = [];
  if (event?.kind === undefined) missing.push('"kind":"Event"');
  if (event?.apiVersion === undefined) missing.push('"apiVersion":"audit.k8s.io/v1"');
  if (missing.length === 0) return text;
  // The item is a non-empty object (it has auditID), so a comma follows the added fields.
  return `{${missing.join(',')},${text.slice(1)}`;
}

/**
 * The [start, end) offsets of the elements of the array under `key` in the top-level object of
 * `json`, which must be valid JSON (it was parsed first); undefined when there is no such array.
 * As in JSON.parse, the last of duplicate keys wins.
 */
export function arrayElementSpans(json: string, key: string): [number, number][] | undefined {
  let index = skipSpace(json, 0);
  if (json[index] !== '{') return undefined;
  index += 1;
  let spans: [number, number][] | undefined;
  for (;;) {
    index = skipSpace(json, index);
    if (json[index] === '}' || index >= json.length) return spans;
    if (json[index] === ',') {
      index += 1;
      continue;
    }
    const keyEnd = skipValue(json, index);
    const name: unknown = JSON.parse(json.slice(index, keyEnd));
    const valueStart = skipSpace(json, skipSpace(json, keyEnd) + 1);
    index = skipValue(json, valueStart);
    if (name === key) spans = json[valueStart] === '[' ? elementSpans(json, valueStart) : undefined;
  }
}

function elementSpans(json: string, open: number): [number, number][] {
  const spans: [number, number][] = [];
  let index = open + 1;
  for (;;) {
    index = skipSpace(json, index);
    if (json[index] === ']' || index >= json.length) return spans;
    if (json[index] === ',') {
      index += 1;
      continue;
    }
    const end = skipValue(json, index);
    spans.push([index, end]);
    index = end;
  }
}

/** Offset just past the JSON value starting at `start`. */
function skipValue(json: string, start: number): number {
  const first = json[start];
  if (first === '"') return skipString(json, start);
  if (first !== '{' && first !== '[') {
    let index = start;
    while (index < json.length && !',}] \t\r\n'.includes(json.charAt(index))) index += 1;
    return index;
  }
  let depth = 0;
  let index = start;
  while (index < json.length) {
    const char = json[index];
    if (char === '"') {
      index = skipString(json, index);
      continue;
    }
    if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') depth -= 1;
    index += 1;
    if (depth === 0) return index;
  }
  return index;
}

function skipString(json: string, start: number): number {
  let index = start + 1;
  while (index < json.length && json[index] !== '"') index += json[index] === '\\' ? 2 : 1;
  return index + 1;
}

function skipSpace(json: string, start: number): number {
  let index = start;
  while (index < json.length && ' \t\r\n'.includes(json.charAt(index))) index += 1;
  return index;
}
