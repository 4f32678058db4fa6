import type { EventContext, Observation, StixObject } from '../../src/contracts.js';
import { deterministicId } from '../../src/stix/ids.js';
import { stixTimestamp } from '../../src/sightings/sighting.js';

/** A small, valid observation of one process (or the given root objects) at a given event time. */
export function processObservation(options: {
  time: number;
  context?: EventContext;
  commandLine?: string;
  pid?: number;
  roots?: readonly StixObject[];
}): Observation {
  const process: StixObject = {
    type: 'process',
    spec_version: '2.1',
    id: deterministicId('process', { pid: options.pid ?? 1, time: options.time }),
    pid: options.pid ?? 1,
    command_line: options.commandLine ?? '/bin/true',
  };
  const roots = options.roots ?? [process];
  const timestamp = stixTimestamp(options.time);
  const observedData: StixObject = {
    type: 'observed-data',
    spec_version: '2.1',
    id: deterministicId('observed-data', { time: options.time, roots: roots.map((r) => r.id) }),
    created: timestamp,
    modified: timestamp,
    first_observed: timestamp,
    last_observed: timestamp,
    number_observed: 1,
    object_refs: roots.map((r) => r.id),
  };
  return {
    observedData,
    objects: new Map(roots.map((r) => [r.id, r])),
    time: options.time,
    context: options.context ?? {},
    sensor: 'tetragon',
    origin: { source: 'test' },
  };
}
