import { activateIndicator, type ActiveIndicator, type IndicatorRejection } from '../engine/index.js';
import { readIndicatorFile, type IndicatorProblem } from './bundle-file.js';
import type { StixIndicator } from './schema.js';

function modifiedMs(indicator: StixIndicator): number {
  return indicator.modified === undefined ? 0 : Date.parse(indicator.modified);
}

export interface LoadedIndicators {
  readonly active: ActiveIndicator[];
  readonly rejected: IndicatorRejection[];
  /** Objects of type indicator that are not valid STIX indicators. */
  readonly problems: IndicatorProblem[];
}

/**
 * The indicators of bundle files, compiled: the ones that can run, and why the others cannot. One broken
 * indicator never stops the others. With several versions of one id, the latest `modified` wins.
 */
export async function loadIndicatorFiles(files: readonly string[]): Promise<LoadedIndicators> {
  const latest = new Map<string, StixIndicator>();
  const problems: IndicatorProblem[] = [];
  for (const file of files) {
    const read = await readIndicatorFile(file);
    problems.push(...read.problems);
    for (const indicator of read.indicators) {
      const known = latest.get(indicator.id);
      if (known === undefined || modifiedMs(indicator) >= modifiedMs(known))
        latest.set(indicator.id, indicator);
    }
  }
  const active: ActiveIndicator[] = [];
  const rejected: IndicatorRejection[] = [];
  for (const indicator of latest.values()) {
    const result = activateIndicator(indicator);
    if ('reason' in result) rejected.push(result);
    else active.push(result);
  }
  return { active, rejected, problems };
}
