import type { Logger } from 'pino';
import type { SightingUpdate } from '../contracts.js';
import type { Output } from './output.js';

/** The fields of a sighting's log line: the STIX sighting, plus the indicator's name and a summary for people. */
export function sightingLogFields(update: SightingUpdate): Record<string, unknown> {
  return {
    kind: 'sighting',
    indicator_id: update.indicator.id,
    indicator_name: update.indicator.name,
    count: update.sighting.count,
    summary: update.summary,
    sighting: update.sighting,
  };
}

/** Every sighting update as one JSON log line on stdout, written as it happens. */
export function stdoutOutput(logger: Logger): Output {
  return {
    name: 'stdout',
    write(updates) {
      for (const update of updates) {
        logger.info(sightingLogFields(update), update.isNew ? 'Sighting.' : 'Sighting updated.');
      }
      return Promise.resolve();
    },
    close() {
      logger.flush();
      return Promise.resolve();
    },
  };
}
