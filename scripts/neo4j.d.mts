// Types for scripts/neo4j.mjs, so TypeScript tests can start and restart their own Neo4j.

export interface Neo4jServerOptions {
  /** Receives progress and the launcher's stderr, one line at a time. */
  readonly log?: (line: string) => void;
  /** Bolt port on 127.0.0.1; a free one when omitted. */
  readonly port?: number;
  /** Kept after stop() when given (restart on the same data); a temporary directory removed by stop() otherwise. */
  readonly dataDir?: string;
  /** Random per start when omitted. */
  readonly password?: string;
}

export interface Neo4jServer {
  readonly uri: string;
  readonly username: string;
  readonly password: string;
  readonly port: number;
  readonly dataDir: string;
  readonly env: {
    readonly NEO4J_URI: string;
    readonly NEO4J_USERNAME: string;
    readonly NEO4J_PASSWORD: string;
  };
  /** Shuts Neo4j down cleanly (SIGKILL after 60 s, 240 s on the first stop, which saves a class archive); safe to call twice. */
  stop(): Promise<void>;
}

export function startNeo4j(options?: Neo4jServerOptions): Promise<Neo4jServer>;
