import { readFile } from 'node:fs/promises';
import { indicatorSchema, type StixIndicator } from './schema.js';

/** An indicator file that cannot be read or is not JSON: nothing of it can be used. */
export class IndicatorFileError extends Error {
  override readonly name = 'IndicatorFileError';
}

export interface IndicatorProblem {
  readonly file: string;
  /** Index of the object in the file's list of objects. */
  readonly index: number;
  readonly id?: string;
  readonly message: string;
}

function objectsOf(document: unknown): unknown[] {
  if (Array.isArray(document)) return document.flatMap(objectsOf);
  if (typeof document === 'object' && document !== null) {
    const record = document as Record<string, unknown>;
    if (record.type === 'bundle') return Array.isArray(record.objects) ? record.objects : [];
    return [record];
  }
  return [];
}

/** The indicators of a STIX bundle file (a bundle, a list of bundles, or a list of objects); other objects are ignored. */
export async function readIndicatorFile(
  file: string,
): Promise<{ indicators: StixIndicator[]; problems: IndicatorProblem[] }> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'not JSON' : 'cannot be read';
    const detail = error instanceof Error ? error.message : String(error);
    throw new IndicatorFileError(`${file}: ${reason}: ${detail}`, { cause: error });
  }
  const indicators: StixIndicator[] = [];
  const problems: IndicatorProblem[] = [];
  objectsOf(document).forEach((object, index) => {
    if ((object as { type?: unknown }).type !== 'indicator') return;
    const parsed = indicatorSchema.safeParse(object);
    if (parsed.success) {
      indicators.push(parsed.data);
      return;
    }
    const id = (object as { id?: unknown }).id;
    const message = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(object)'}: ${i.message}`)
      .join('; ');
    problems.push({ file, index, ...(typeof id === 'string' ? { id } : {}), message });
  });
  return { indicators, problems };
}
