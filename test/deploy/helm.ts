// Renders helm/matcher with helm 3 (found or built by scripts/helm.mjs) and parses what it prints.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAllYaml, type KubernetesObject } from '@kubernetes/client-node';
import { ensureHelm } from '../../scripts/helm.mjs';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const chartPath = join(repoRoot, 'helm', 'matcher');
export const RELEASE = 'honey';
export const NAMESPACE = 'matcher-test';

let helm: string | undefined;

export interface HelmResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs helm with the given values (written as a JSON file, which is YAML) after the arguments. */
export function runHelm(args: readonly string[], values: Record<string, unknown> = {}): HelmResult {
  helm ??= ensureHelm();
  const dir = mkdtempSync(join(tmpdir(), 'matcher-chart-'));
  try {
    const valuesFile = join(dir, 'values.json');
    writeFileSync(valuesFile, JSON.stringify(values));
    const result = spawnSync(helm, [...args, '--values', valuesFile], {
      encoding: 'utf8',
      // helm keeps its repository and cache settings here instead of the user's home.
      env: { ...process.env, HELM_CACHE_HOME: dir, HELM_CONFIG_HOME: dir, HELM_DATA_HOME: dir },
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The chart rendered with these values, one object per document; fails the test when helm fails. */
export function render(values: Record<string, unknown> = {}): KubernetesObject[] {
  const result = runHelm(['template', RELEASE, chartPath, '--namespace', NAMESPACE], values);
  if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
  return (loadAllYaml(result.stdout) as (KubernetesObject | null)[]).filter(
    (object): object is KubernetesObject => object !== null,
  );
}

/** helm's error output for values the chart must refuse; fails the test when helm renders them. */
export function renderError(values: Record<string, unknown>): string {
  const result = runHelm(['template', RELEASE, chartPath, '--namespace', NAMESPACE], values);
  if (result.status === 0) throw new Error('helm template rendered values it should have refused.');
  return result.stderr;
}

export function ofKind<T extends KubernetesObject>(objects: readonly KubernetesObject[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as T[];
}

/** The single element of `found`; fails the test when there is none or more than one. */
export function onlyOne<T>(found: readonly T[]): T {
  const [only] = found;
  if (found.length !== 1 || only === undefined) throw new Error(`expected one, rendered ${found.length}`);
  return only;
}
