/**
 * Where indicators come from and where sightings go besides stdout: bundle files (the embedded default),
 * or Neo4j for both when NEO4J_URI is set.
 */
import type { Logger } from 'pino';
import type { DaemonConfig } from '../config.js';
import type { IndicatorRejection } from '../engine/index.js';
import { fileIndicatorProvider, type IndicatorProvider } from '../indicators/index.js';
import { createDriver, neo4jIndicatorProvider, redactUri, verifyNeo4j } from '../neo4j/index.js';
import { neo4jOutput } from '../outputs/neo4j.js';
import type { Output } from '../outputs/output.js';

export interface Backends {
  readonly provider: IndicatorProvider;
  /** Outputs besides stdout. */
  readonly outputs: readonly Output[];
  /** Whether a failed first load should be retried (a database that may come up) rather than fatal (a file). */
  readonly retryFirstLoad: boolean;
  /** Told of the indicators that cannot run after each change of the set (Neo4j marks their nodes). */
  rejected(rejections: readonly IndicatorRejection[]): Promise<void>;
  /** Closes what the outputs and provider share (the driver), after they are closed. */
  close(): Promise<void>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function buildBackends(config: DaemonConfig, logger: Logger): Promise<Backends> {
  const credentials = config.neo4j;
  if (credentials === undefined) {
    return {
      provider: fileIndicatorProvider(config.indicators),
      outputs: [],
      retryFirstLoad: false,
      rejected: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }
  const log = logger.child({ component: 'neo4j' });
  const driver = createDriver(credentials);
  try {
    await verifyNeo4j(driver, credentials);
    log.info({ code: 'NEO4J_CONNECTED', uri: redactUri(credentials.uri) }, 'Connected to Neo4j.');
  } catch (error) {
    // Not fatal: the output spills to disk and the indicators are retried until Neo4j answers.
    log.warn(
      { code: 'NEO4J_UNAVAILABLE', uri: redactUri(credentials.uri), error: describe(error) },
      'Neo4j does not answer yet; retrying.',
    );
  }
  const provider = neo4jIndicatorProvider(driver, credentials);
  const output = await neo4jOutput(driver, { credentials, stateDir: config.stateDir, logger: log });
  return {
    provider,
    outputs: [output],
    retryFirstLoad: true,
    async rejected(rejections) {
      try {
        await provider.markRejected(rejections);
      } catch (error) {
        log.warn(
          { code: 'NEO4J_MARK_FAILED', error: describe(error) },
          'Could not mark rejected indicators.',
        );
      }
    },
    close: () => driver.close(),
  };
}
