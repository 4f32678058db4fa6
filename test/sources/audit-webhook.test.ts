import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import type { RawLine } from '../../src/contracts.js';
import { buildAuditWebhookSource } from '../../src/sources/audit-webhook/index.js';
import type { AuditWebhookSource } from '../../src/sources/audit-webhook/index.js';
import { SourceConfigError } from '../../src/sources/context.js';

const logger = pino({ level: 'silent' });

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

interface PostOptions {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  /** Send the body in chunks without a Content-Length. */
  readonly chunked?: boolean;
  readonly ca?: Buffer;
  /** Client certificate and key, for a server that asks for one. */
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

async function post(port: number, body: string, options: PostOptions = {}): Promise<Answer> {
  const transport = options.ca === undefined ? http : https;
  const scheme = options.ca === undefined ? 'http' : 'https';
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...options.headers };
  if (options.chunked !== true) headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const request = transport.request(
      `${scheme}://127.0.0.1:${port}${options.path ?? '/'}`,
      {
        method: options.method ?? 'POST',
        headers,
        ca: options.ca,
        cert: options.cert,
        key: options.key,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    // The server may close early (413); the answer already came.
    request.on('error', reject);
    request.end(body);
  });
}

function auditEvent(auditID: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    level: 'Metadata',
    auditID,
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/pods',
    verb: 'create',
    user: { username: 'system:serviceaccount:default:attacker' },
    ...extra,
  };
}

function eventList(items: unknown[]): string {
  return JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
}

async function started(
  config: Record<string, unknown> = {},
): Promise<{ source: AuditWebhookSource; port: number }> {
  const source = await buildAuditWebhookSource({ host: '127.0.0.1', port: 0, ...config }, { logger });
  const { port } = await source.listen();
  return { source, port };
}

/** Reads batches until `count` lines have come. */
async function take(iterator: AsyncIterator<readonly RawLine[]>, count: number): Promise<RawLine[]> {
  const lines: RawLine[] = [];
  while (lines.length < count) {
    const next = await iterator.next();
    if (next.done === true) break;
    lines.push(...next.value);
  }
  return lines;
}

test('accepted batches become one line per event, in order, reading like audit log lines', async () => {
  const { source, port } = await started();
  try {
    const first = await post(port, eventList([auditEvent('a-1'), auditEvent('a-2')]));
    const second = await post(port, eventList([auditEvent('b-1')]));
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    const lines = await take(source.batches()[Symbol.asyncIterator](), 3);
    const events = lines.map((line) => JSON.parse(line.text) as Record<string, unknown>);
    assert.deepEqual(
      events.map((event) => event.auditID),
      ['a-1', 'a-2', 'b-1'],
    );
    for (const event of events) {
      assert.equal(event.kind, 'Event');
      assert.equal(event.apiVersion, 'audit.k8s.io/v1');
      assert.equal(event.verb, 'create');
    }
    assert.deepEqual(
      lines.map((line) => line.origin),
      [1, 2, 3].map((line) => ({ source: 'audit-webhook', line })),
    );
    assert.equal(source.telemetry().batchesAccepted, 2);
    assert.equal(source.counters().linesRead, 3);
  } finally {
    await source.stop();
  }
});

test('event text is cut from the body: big integers and existing type fields are kept exactly', async () => {
  const { source, port } = await started();
  try {
    const body =
      '{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[' +
      '{"level":"Request","auditID":"x","stage":"ResponseComplete","verb":"update","requestURI":"/x",' +
      '"requestObject":{"n":123456789012345678901234567890,"s":"a ] } \\" ["}},' +
      ' {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"None","auditID":"y","stage":"Panic","verb":"get","requestURI":"/y"}' +
      ']}';
    assert.equal((await post(port, body)).status, 200);
    const lines = await take(source.batches()[Symbol.asyncIterator](), 2);
    assert.equal(
      lines[0]?.text,
      '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"x","stage":"ResponseComplete",' +
        '"verb":"update","requestURI":"/x","requestObject":{"n":123456789012345678901234567890,"s":"a ] } \\" ["}}',
    );
    assert.equal(
      lines[1]?.text,
      '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"None","auditID":"y","stage":"Panic","verb":"get","requestURI":"/y"}',
    );
  } finally {
    await source.stop();
  }
});

test('a body that is not an EventList gets 400 with a message saying why, and is counted', async () => {
  const { source, port } = await started();
  try {
    const cases: [string, RegExp][] = [
      ['{"kind": "EventList", "items": [', /not JSON/],
      [
        JSON.stringify({ kind: 'PodList', apiVersion: 'v1', items: [] }),
        /not an audit.k8s.io\/v1 EventList[\s\S]*kind/,
      ],
      [JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1beta1', items: [] }), /apiVersion/],
      [
        eventList([auditEvent('ok'), { level: 'Metadata', stage: 'ResponseComplete' }]),
        /items\[1\]\.auditID/,
      ],
      ['[]', /EventList/],
    ];
    for (const [body, message] of cases) {
      const answer = await post(port, body);
      assert.equal(answer.status, 400, body);
      assert.match((JSON.parse(answer.body) as { message: string }).message, message);
    }
    assert.equal(source.telemetry().rejected['invalid-body'], cases.length);
    assert.equal(source.telemetry().eventsAccepted, 0);
  } finally {
    await source.stop();
  }
});

test('a body over maxBodyBytes gets 413, whether announced or streamed', async () => {
  const { source, port } = await started({ maxBodyBytes: 1024 });
  try {
    const large = eventList([auditEvent('big', { padding: 'x'.repeat(2048) })]);
    assert.equal((await post(port, large)).status, 413);
    assert.equal((await post(port, large, { chunked: true })).status, 413);
    const small = eventList([auditEvent('small')]);
    assert.equal((await post(port, small)).status, 200);
    assert.equal(source.telemetry().rejected['too-large'], 2);
    assert.equal(source.telemetry().eventsAccepted, 1);
  } finally {
    await source.stop();
  }
});

test('a full queue answers 429 with Retry-After, and takes the batch once there is room', async () => {
  const { source, port } = await started({ maxQueuedEvents: 2, retryAfterSecs: 3 });
  try {
    assert.equal((await post(port, eventList([auditEvent('1'), auditEvent('2')]))).status, 200);
    const refused = await post(port, eventList([auditEvent('3')]));
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['retry-after'], '3');
    assert.equal(source.telemetry().rejected['queue-full'], 1);
    const iterator = source.batches()[Symbol.asyncIterator]();
    const firstTwo = await take(iterator, 2);
    assert.equal((await post(port, eventList([auditEvent('3')]))).status, 200);
    const third = await take(iterator, 1);
    assert.deepEqual(
      [...firstTwo, ...third].map((line) => (JSON.parse(line.text) as { auditID: string }).auditID),
      ['1', '2', '3'],
    );
  } finally {
    await source.stop();
  }
});

test('an empty queue takes a batch larger than its capacity, so such a batch is never refused forever', async () => {
  const { source, port } = await started({ maxQueuedEvents: 1 });
  try {
    assert.equal(
      (await post(port, eventList([auditEvent('1'), auditEvent('2'), auditEvent('3')]))).status,
      200,
    );
    assert.equal((await post(port, eventList([auditEvent('4')]))).status, 429);
  } finally {
    await source.stop();
  }
});

test('only POST to the configured path is served', async () => {
  const { source, port } = await started({ path: '/audit' });
  try {
    const body = eventList([auditEvent('1')]);
    assert.equal((await post(port, body)).status, 404);
    const put = await post(port, body, { path: '/audit', method: 'PUT' });
    assert.equal(put.status, 405);
    assert.equal(put.headers.allow, 'POST');
    assert.equal(
      (await post(port, body, { path: '/audit', headers: { 'Content-Encoding': 'gzip' } })).status,
      415,
    );
    assert.equal((await post(port, body, { path: '/audit?timeout=30s' })).status, 200);
    const rejected = source.telemetry().rejected;
    assert.deepEqual(
      [rejected['not-found'], rejected['method-not-allowed'], rejected['unsupported-encoding']],
      [1, 1, 1],
    );
  } finally {
    await source.stop();
  }
});

test('stop closes the server and ends the batches', async () => {
  const { source, port } = await started();
  assert.equal((await post(port, eventList([auditEvent('1')]))).status, 200);
  const iterator = source.batches()[Symbol.asyncIterator]();
  assert.equal(source.ready(), true);
  await source.stop();
  assert.equal(source.ready(), false);
  assert.equal((await take(iterator, 5)).length, 1, 'queued events are still read');
  assert.equal((await iterator.next()).done, true);
  await assert.rejects(post(port, eventList([auditEvent('2')])), /ECONNREFUSED/);
});

/** Makes certificates with openssl in a temporary directory (removed after the test). */
function certificates(t: { after(fn: () => void): void }): {
  path(name: string): string;
  selfSigned(name: string): void;
  signed(name: string, ca: string): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'audit-webhook-tls-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };
  return {
    path,
    selfSigned(name) {
      openssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path(`${name}.key`),
        '-out',
        path(`${name}.crt`),
      );
    },
    signed(name, ca) {
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        `/CN=${name}`,
        '-keyout',
        path(`${name}.key`),
        '-out',
        path(`${name}.csr`),
      );
      openssl(
        'x509',
        '-req',
        '-in',
        path(`${name}.csr`),
        '-CA',
        path(`${ca}.crt`),
        '-CAkey',
        path(`${ca}.key`),
        '-CAcreateserial',
        '-days',
        '1',
        '-out',
        path(`${name}.crt`),
      );
    },
  };
}

test('HTTPS from a certificate and key file; build refuses files that are missing or do not match', async (t) => {
  const certs = certificates(t);
  certs.selfSigned('server');
  certs.selfSigned('other');
  const tlsCertFile = certs.path('server.crt');
  const { source, port } = await started({ tlsCertFile, tlsKeyFile: certs.path('server.key') });
  try {
    const answer = await post(port, eventList([auditEvent('tls')]), { ca: readFileSync(tlsCertFile) });
    assert.equal(answer.status, 200);
  } finally {
    await source.stop();
  }
  const refuses = async (config: Record<string, unknown>, message: RegExp): Promise<void> => {
    await assert.rejects(
      buildAuditWebhookSource({ port: 0, ...config }, { logger }),
      (error) => error instanceof SourceConfigError && message.test(error.message),
    );
  };
  await refuses({ tlsCertFile, tlsKeyFile: certs.path('other.key') }, /not a usable certificate and key/);
  await refuses({ tlsCertFile, tlsKeyFile: certs.path('missing.key') }, /tlsKeyFile: .*ENOENT/);
  await refuses({ tlsCertFile }, /set both for HTTPS/);
  await refuses({ tlsClientCaFile: tlsCertFile }, /tlsClientCaFile needs HTTPS/);
  await refuses({ port: 70_000 }, /port/);
});

test('with tlsClientCaFile, only a client with a certificate that CA signed is served', async (t) => {
  const certs = certificates(t);
  certs.selfSigned('server');
  certs.selfSigned('ca');
  certs.selfSigned('rogue-ca');
  certs.signed('kube-apiserver', 'ca');
  certs.signed('intruder', 'rogue-ca');
  const ca = readFileSync(certs.path('server.crt'));
  const { source, port } = await started({
    tlsCertFile: certs.path('server.crt'),
    tlsKeyFile: certs.path('server.key'),
    tlsClientCaFile: certs.path('ca.crt'),
  });
  try {
    const body = eventList([auditEvent('mtls')]);
    const client = (name: string): PostOptions => ({
      ca,
      cert: readFileSync(certs.path(`${name}.crt`)),
      key: readFileSync(certs.path(`${name}.key`)),
    });
    assert.equal((await post(port, body, client('kube-apiserver'))).status, 200);
    await assert.rejects(post(port, body, { ca }));
    await assert.rejects(post(port, body, client('intruder')));
    assert.equal(source.telemetry().eventsAccepted, 1);
  } finally {
    await source.stop();
  }
});
