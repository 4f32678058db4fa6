import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';

/** A Kubernetes API answer that was not 200; `statusCode` is what ListWatch looks at (410 means relist). */
export class KubeHttpError extends Error {
  override readonly name = 'KubeHttpError';
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Longest error body read to build a message; a Status object is far smaller. */
const MAX_ERROR_BODY_BYTES = 16 * 1024;

/**
 * GETs an API path with the credentials, CA and proxy of `kubeConfig`, and returns the response once it
 * is 200; any other status rejects with a `KubeHttpError` carrying the server's message.
 * Plain node:http rather than the client's `Log`/`Watch`, because those hide stream errors:
 * this response reports `error` when the connection breaks, which is what resuming needs.
 */
export async function kubeGet(
  kubeConfig: KubeConfig,
  path: string,
  query: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error('The kubeconfig has no current cluster.');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const options: https.RequestOptions = { method: 'GET', signal, headers: { Accept: 'application/json' } };
  await kubeConfig.applyToHTTPSOptions(options);
  const transport = url.protocol === 'https:' ? https : http;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = transport.request(url, options, resolve);
    request.on('error', reject);
    request.end();
  });
  if (response.statusCode === 200) return response;
  throw new KubeHttpError(response.statusCode ?? 0, await errorMessage(response));
}

/** The `message` of a Kubernetes Status body, or the start of whatever body came. */
async function errorMessage(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      bytes += chunk.length;
      if (bytes >= MAX_ERROR_BODY_BYTES) break;
    }
  } catch {
    // The body is only decoration for the status code.
  }
  response.destroy();
  const body = Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY_BYTES);
  const status = `HTTP ${response.statusCode ?? 0}`;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'message' in parsed) {
      return `${status}: ${String(parsed.message)}`;
    }
  } catch {
    // Not JSON: use the text as it is.
  }
  return body.trim() === '' ? status : `${status}: ${body.trim()}`;
}
