import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ensurePythonVenv } from './python.js';

const script = join(import.meta.dirname, 'validate_bundle.py');

export interface StixVerdict {
  readonly valid: boolean;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** The OASIS stix2-validator's verdict on these objects, as one STIX 2.1 bundle. */
export function validateStix(objects: readonly unknown[]): StixVerdict {
  const python = ensurePythonVenv('stix2-validator', ['stix2-validator==3.3.2']);
  const bundle = { type: 'bundle', id: 'bundle--5d0ea2a4-6b2f-4a43-9d8e-0f1c2b3a4d5e', objects };
  const output = execFileSync(python, [script], {
    input: JSON.stringify(bundle),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return JSON.parse(output) as StixVerdict;
}
