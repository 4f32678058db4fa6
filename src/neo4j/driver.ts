import neo4j, { type Config, type Driver, type ServerInfo, type SessionConfig } from 'neo4j-driver';
import type { Neo4jCredentials } from './credentials.js';

export interface DriverOptions {
  /** Sent to the server, shown in its query log. */
  readonly userAgent?: string;
  readonly maxConnectionPoolSize?: number;
  /** How long to wait for a connection from the pool or the network, in milliseconds. */
  readonly connectionTimeoutMs?: number;
}

/**
 * A driver for the credentials. TLS follows the URI scheme (`neo4j+s`, `bolt+s`, `+ssc`); setting it
 * in the config as well is an error in the driver, so it is left alone. Integers come back as JS
 * numbers: counts and timestamps here stay far below 2^53.
 */
export function createDriver(credentials: Neo4jCredentials, options: DriverOptions = {}): Driver {
  // The driver declares its settings as classes; plain shapes of the same fields say what is meant.
  const config: Pick<
    Config,
    | 'userAgent'
    | 'disableLosslessIntegers'
    | 'maxConnectionPoolSize'
    | 'connectionTimeout'
    | 'connectionAcquisitionTimeout'
  > = { userAgent: options.userAgent ?? 'matcher', disableLosslessIntegers: true };
  if (options.maxConnectionPoolSize !== undefined)
    config.maxConnectionPoolSize = options.maxConnectionPoolSize;
  if (options.connectionTimeoutMs !== undefined) {
    config.connectionTimeout = options.connectionTimeoutMs;
    config.connectionAcquisitionTimeout = options.connectionTimeoutMs;
  }
  return neo4j.driver(credentials.uri, neo4j.auth.basic(credentials.username, credentials.password), config);
}

/** Session settings for the credentials' database (the server default when none is set). */
export function sessionConfig(
  credentials: Neo4jCredentials,
  accessMode: 'READ' | 'WRITE' = 'WRITE',
): Pick<SessionConfig, 'defaultAccessMode' | 'database'> {
  const config: Pick<SessionConfig, 'defaultAccessMode' | 'database'> = {
    defaultAccessMode: accessMode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
  };
  if (credentials.database !== undefined) config.database = credentials.database;
  return config;
}

/** Connects and logs in once, so a wrong address or password shows at start-up, not at the first write. */
export async function verifyNeo4j(driver: Driver, credentials: Neo4jCredentials): Promise<ServerInfo> {
  return driver.getServerInfo(credentials.database === undefined ? {} : { database: credentials.database });
}
