import type { SightingUpdate } from '../contracts.js';

/**
 * Where sightings go. `write` is idempotent by sighting id and resolves once the updates are safely
 * out (acknowledged), which is what lets sources commit their positions.
 */
export interface Output {
  readonly name: string;
  write(updates: readonly SightingUpdate[]): Promise<void>;
  close(): Promise<void>;
}
