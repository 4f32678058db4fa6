import type { EventContext, StixObject } from '../contracts.js';
import { deterministicId } from '../stix/ids.js';

/** STIX timestamps with millisecond precision: what our event times carry. */
export function stixTimestamp(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}

/** The identity a sighting is sighted at: the node when known, else the cluster as a whole. */
export function placeIdentity(context: EventContext, clusterName: string): StixObject {
  const name = context.node === undefined ? clusterName : `${clusterName}/${context.node}`;
  const time = '1970-01-01T00:00:00.000Z';
  return {
    type: 'identity',
    spec_version: '2.1',
    id: deterministicId('identity', { name, identity_class: 'system' }),
    // Fixed times: the identity is a stable name, and stable bytes make its writes idempotent.
    created: time,
    modified: time,
    name,
    identity_class: 'system',
  };
}

export interface SightingState {
  readonly id: string;
  readonly indicatorId: string;
  firstSeenMs: number;
  lastSeenMs: number;
  count: number;
  readonly observedDataRefs: string[];
  readonly whereSighted: StixObject;
}

/** The STIX 2.1 sighting for a state; created/modified are event times, so a replay yields the same bytes. */
export function sightingObject(state: SightingState): StixObject {
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: state.id,
    created: stixTimestamp(state.firstSeenMs),
    modified: stixTimestamp(state.lastSeenMs),
    first_seen: stixTimestamp(state.firstSeenMs),
    last_seen: stixTimestamp(state.lastSeenMs),
    count: Math.min(state.count, 999_999_999),
    sighting_of_ref: state.indicatorId,
    observed_data_refs: [...state.observedDataRefs],
    where_sighted_refs: [state.whereSighted.id],
  };
}
