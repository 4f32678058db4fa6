import { once } from 'node:events';
import http from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Origin, RawLine } from '../../contracts.js';
import type { SourceCounters } from '../counters.js';
import { LineQueue } from '../line-queue.js';
import type { Source } from '../source.js';
import type { AuditWebhookConfig } from './config.js';
import { parseEventList } from './event-list.js';
import { AuditWebhookEvents } from './events.js';
import type { AuditWebhookCounters, AuditWebhookRejectReason } from './events.js';

/** PEM contents, read and checked by `build`. */
export interface AuditWebhookTls {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly clientCa: Buffer | undefined;
}

type BodyRead =
  | { readonly kind: 'read'; readonly text: string; readonly bytes: number }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'aborted' };

/**
 * Receives the EventList batches kube-apiserver's audit webhook posts, and yields each event as one
 * line of JSON. A batch is answered 200 only once all its events are queued; when they do not fit,
 * 429 with Retry-After makes the API server send it again later, so nothing is lost to a full queue.
 */
export class AuditWebhookSource implements Source {
  readonly id: string;
  private readonly events: AuditWebhookEvents;
  private readonly queue: LineQueue;
  private readonly server: Server;
  private listening: Promise<AddressInfo> | undefined;
  private eventNumber = 0;
  private stopped = false;

  constructor(
    private readonly config: AuditWebhookConfig,
    logger: Logger,
    private readonly tls: AuditWebhookTls | undefined,
  ) {
    this.id = config.id;
    this.events = new AuditWebhookEvents(logger);
    this.queue = new LineQueue(config.maxQueuedEvents, config.maxBatchLines);
    const handler = (request: IncomingMessage, response: ServerResponse): void => {
      void this.handle(request, response);
    };
    this.server =
      tls === undefined
        ? http.createServer(handler)
        : https.createServer(
            { cert: tls.cert, key: tls.key, ca: tls.clientCa, requestCert: tls.clientCa !== undefined },
            handler,
          );
  }

  /** Starts listening (once); resolves with the bound address, the port included when it was 0. */
  listen(): Promise<AddressInfo> {
    this.listening ??= (async () => {
      this.server.listen(this.config.port, this.config.host);
      await once(this.server, 'listening');
      const address = this.server.address() as AddressInfo;
      this.events.listening(address.address, address.port, this.tls !== undefined);
      return address;
    })();
    return this.listening;
  }

  /** Listens on the first call; ends after `stop()` once the queued events are read. */
  async *batches(): AsyncGenerator<readonly RawLine[]> {
    if (!this.stopped) await this.listen();
    yield* this.queue.batches();
  }

  /** Nothing to persist: the API server was told at 200 that the batch is taken. */
  commit(_origin: Origin): void {
    // Intentionally empty; see the doc comment.
  }

  /** Stops accepting and closes open connections (an unanswered batch is retried by the API server). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.queue.close();
    if (this.listening === undefined) return;
    await this.listening.catch(() => undefined);
    const closed = new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
    this.server.closeAllConnections();
    await closed;
  }

  /** For /readyz: listening, and not stopped. */
  ready(): boolean {
    return this.server.listening && !this.stopped;
  }

  counters(): SourceCounters {
    return this.events.sourceCounters();
  }

  telemetry(): AuditWebhookCounters {
    return this.events.snapshot();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const early = this.refusalBeforeBody(request);
    if (early !== undefined) {
      this.refuse(response, early.reason, early.message);
      return;
    }
    const body = await readBody(request, this.config.maxBodyBytes);
    // The client went away mid-body: nobody to answer, and the API server retries an unanswered batch.
    if (body.kind === 'aborted') return;
    if (body.kind === 'too-large') {
      this.refuse(response, 'too-large', `The body is larger than ${this.config.maxBodyBytes} bytes.`);
      return;
    }
    const parsed = parseEventList(body.text);
    if (!parsed.ok) {
      this.refuse(response, 'invalid-body', parsed.message);
      return;
    }
    // Consecutive event numbers (`Origin.line`) in the order batches are queued.
    const first = this.eventNumber + 1;
    const lines = parsed.events.map((text, index): RawLine => ({
      text,
      origin: { source: this.id, line: first + index },
    }));
    if (!this.queue.offer(lines)) {
      response.setHeader('Retry-After', String(this.config.retryAfterSecs));
      this.refuse(response, 'queue-full', 'The event queue is full; retry later.');
      return;
    }
    this.eventNumber += lines.length;
    this.events.accepted(lines.length, body.bytes);
    sendJson(response, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 200 });
  }

  private refusalBeforeBody(
    request: IncomingMessage,
  ): { reason: AuditWebhookRejectReason; message: string } | undefined {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== this.config.path)
      return { reason: 'not-found', message: `Audit events are posted to ${this.config.path}.` };
    if (request.method !== 'POST') {
      return {
        reason: 'method-not-allowed',
        message: `Method ${request.method ?? ''} is not allowed; use POST.`,
      };
    }
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'identity') {
      return { reason: 'unsupported-encoding', message: `Content-Encoding ${encoding} is not supported.` };
    }
    const length = Number(request.headers['content-length'] ?? '0');
    if (length > this.config.maxBodyBytes) {
      return { reason: 'too-large', message: `The body is larger than ${this.config.maxBodyBytes} bytes.` };
    }
    return undefined;
  }

  private refuse(response: ServerResponse, reason: AuditWebhookRejectReason, message: string): void {
    this.events.rejected(reason, message);
    const status = AuditWebhookEvents.status(reason);
    if (reason === 'method-not-allowed') response.setHeader('Allow', 'POST');
    // An unread body is not drained: the connection closes after the answer.
    if (!response.req.complete) response.setHeader('Connection', 'close');
    sendJson(response, status, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message,
      code: status,
    });
    response.req.resume();
  }
}

/** Reads the whole body; stops reading at `maxBytes` (the connection then closes after the answer). */
function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.pause();
      resolve({ kind: 'too-large' });
    };
    request.on('data', onData);
    request.on('end', () => {
      resolve({ kind: 'read', text: Buffer.concat(chunks).toString('utf8'), bytes });
    });
    request.on('aborted', () => {
      resolve({ kind: 'aborted' });
    });
    request.on('error', () => {
      resolve({ kind: 'aborted' });
    });
  });
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}
