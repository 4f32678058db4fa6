/**
 * The daemon's HTTP face for Kubernetes and Prometheus: `/healthz` (the process answers), `/readyz`
 * (indicators loaded and sources started) and `/metrics` (Prometheus text format).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { METRICS_CONTENT_TYPE, type MetricsRegistry } from './metrics.js';

export interface StatusServerOptions {
  readonly host: string;
  readonly port: number;
  readonly metrics: MetricsRegistry;
  /** Why the daemon is not ready yet; empty when it is. */
  readonly notReady: () => readonly string[];
  readonly logger: Logger;
}

export interface StatusServer {
  /** The bound address (the port included when 0 was asked for). */
  readonly address: AddressInfo;
  close(): Promise<void>;
}

function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

function route(options: StatusServerOptions, request: IncomingMessage, response: ServerResponse): void {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    reply(response, 405, 'text/plain; charset=utf-8', 'Method not allowed.\n');
    return;
  }
  switch (path) {
    case '/healthz':
      reply(response, 200, 'text/plain; charset=utf-8', 'ok\n');
      return;
    case '/readyz': {
      const reasons = options.notReady();
      if (reasons.length === 0) reply(response, 200, 'text/plain; charset=utf-8', 'ready\n');
      else reply(response, 503, 'text/plain; charset=utf-8', `not ready: ${reasons.join('; ')}\n`);
      return;
    }
    case '/metrics':
      reply(response, 200, METRICS_CONTENT_TYPE, options.metrics.render());
      return;
    default:
      reply(response, 404, 'text/plain; charset=utf-8', 'Not found: try /healthz, /readyz or /metrics.\n');
  }
}

/** Starts listening; rejects when the address cannot be bound (e.g. the port is taken). */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const server: Server = createServer((request, response) => {
    try {
      route(options, request, response);
    } catch (error) {
      options.logger.error({ error: String(error) }, 'Status request failed.');
      if (!response.headersSent) reply(response, 500, 'text/plain; charset=utf-8', 'Internal error.\n');
    }
  });
  server.listen(options.port, options.host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]: unknown[]) => {
      throw error;
    }),
  ]);
  const address = server.address() as AddressInfo;
  options.logger.info(
    { code: 'HTTP_LISTENING', address: address.address, port: address.port },
    'Serving /healthz, /readyz and /metrics.',
  );
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
