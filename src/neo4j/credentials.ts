import { inspect } from 'node:util';
import { z } from 'zod';

/** The environment variables this module reads, from a record the caller passes (never process.env here). */
export type Neo4jEnv = Readonly<Record<string, string | undefined>>;

const schemes = ['neo4j', 'neo4j+s', 'neo4j+ssc', 'bolt', 'bolt+s', 'bolt+ssc'] as const;
const redacted = '[redacted]';

/** A URI shown in a message: any user-info is replaced, so a password put in the URI never leaks. */
export function redactUri(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, `$1${redacted}@`);
}

const uriSchema = z.string().superRefine((uri, ctx) => {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    ctx.addIssue({ code: 'custom', message: `is not a URI: '${redactUri(uri)}'` });
    return;
  }
  const scheme = url.protocol.slice(0, -1);
  if (!(schemes as readonly string[]).includes(scheme)) {
    ctx.addIssue({
      code: 'custom',
      message: `has scheme '${scheme}'; expected one of ${schemes.join(', ')}`,
    });
  }
  if (url.hostname === '') ctx.addIssue({ code: 'custom', message: 'has no host' });
  if (url.username !== '' || url.password !== '') {
    ctx.addIssue({
      code: 'custom',
      message: 'contains credentials; put them in NEO4J_USERNAME and NEO4J_PASSWORD (or NEO4J_AUTH) instead',
    });
  }
});

const envSchema = z.object({
  NEO4J_URI: uriSchema,
  NEO4J_USERNAME: z.string().min(1, 'is empty').optional(),
  NEO4J_PASSWORD: z.string().min(1, 'is empty').optional(),
  NEO4J_AUTH: z
    .string()
    .regex(/^[^/]+\/.+$/, 'must be user/password, as the Neo4j Helm chart stores it')
    .optional(),
  NEO4J_DATABASE: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9.-]{0,62}$/, 'is not a valid database name')
    .optional(),
});

/** Where Neo4j is and how to log in. The password is readable by code but never printed. */
export class Neo4jCredentials {
  readonly #password: string;

  constructor(
    readonly uri: string,
    readonly username: string,
    password: string,
    /** The database to use; undefined means the server's default. */
    readonly database?: string,
  ) {
    this.#password = password;
  }

  get password(): string {
    return this.#password;
  }

  /** Whether the URI asks for TLS (`+s` verifies the certificate, `+ssc` accepts a self-signed one). */
  get encrypted(): boolean {
    return /^[a-z0-9]+\+s(?:sc)?:\/\//.test(this.uri);
  }

  toString(): string {
    return `${this.uri} as ${this.username}${this.database === undefined ? '' : ` (database ${this.database})`}`;
  }

  toJSON(): Record<string, string> {
    return {
      uri: this.uri,
      username: this.username,
      password: redacted,
      ...(this.database === undefined ? {} : { database: this.database }),
    };
  }

  [inspect.custom](): string {
    return `Neo4jCredentials { ${this.toString()}, password: ${redacted} }`;
  }
}

/** A setting that is missing or wrong; the message names the variable and never contains a secret. */
export class Neo4jCredentialsError extends Error {
  override readonly name = 'Neo4jCredentialsError';
}

const neo4jVariables = ['NEO4J_URI', 'NEO4J_USERNAME', 'NEO4J_PASSWORD', 'NEO4J_AUTH', 'NEO4J_DATABASE'];

/** Whether any Neo4j setting is present, i.e. the user meant to use Neo4j. */
export function hasNeo4jSettings(env: Neo4jEnv): boolean {
  return neo4jVariables.some((name) => (env[name] ?? '') !== '');
}

/**
 * Reads NEO4J_URI plus NEO4J_USERNAME/NEO4J_PASSWORD or NEO4J_AUTH=user/password (NEO4J_USERNAME and
 * NEO4J_PASSWORD win over NEO4J_AUTH; the user defaults to neo4j), and the optional NEO4J_DATABASE.
 * Returns undefined when no Neo4j setting is present at all; throws Neo4jCredentialsError when they are
 * incomplete or wrong.
 */
export function readNeo4jCredentials(env: Neo4jEnv): Neo4jCredentials | undefined {
  if (!hasNeo4jSettings(env)) return undefined;
  const present = Object.fromEntries(
    neo4jVariables.flatMap((name) => {
      const value = env[name];
      return value === undefined || value === '' ? [] : [[name, value]];
    }),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    // Messages only: zod's issues may carry the offending input, which can be a secret.
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'NEO4J_URI');
      const message = issue.code === 'invalid_type' ? 'is not set' : issue.message;
      return `${name} ${message}`;
    });
    throw new Neo4jCredentialsError(`Neo4j settings: ${problems.join('; ')}.`);
  }
  const settings = parsed.data;
  const [authUser, authPassword] = splitAuth(settings.NEO4J_AUTH);
  const password = settings.NEO4J_PASSWORD ?? authPassword;
  if (password === undefined) {
    throw new Neo4jCredentialsError('Neo4j settings: set NEO4J_PASSWORD, or NEO4J_AUTH=user/password.');
  }
  const username = settings.NEO4J_USERNAME ?? authUser ?? 'neo4j';
  return new Neo4jCredentials(settings.NEO4J_URI, username, password, settings.NEO4J_DATABASE);
}

function splitAuth(auth: string | undefined): [string | undefined, string | undefined] {
  if (auth === undefined) return [undefined, undefined];
  const slash = auth.indexOf('/');
  return [auth.slice(0, slash), auth.slice(slash + 1)];
}
