/**
 * A local HTTP server that speaks the part of the Kubernetes API the kube-logs source uses: list and
 * watch pods (label selectors, namespaces, resource versions, bookmarks, 410 Gone) and follow a
 * container's log (`follow`, `timestamps`, `sinceTime`, `tailLines`) with real chunked streaming.
 * Tests drive it: add, change and delete pods, append log lines, cut or end streams, and read the
 * requests it received. It listens on 127.0.0.1 on a random port.
 */
import { EventEmitter, once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import {
  formatLine,
  formatRfc3339Nano,
  logKey,
  logPath,
  selectEntries,
  timestampsOf,
  type TimestampedResponse,
  type LogEntry,
  type LogRef,
} from './fake-kube-logs.js';
import {
  containerStatus,
  parseSelector,
  podKey,
  podPhase,
  visible,
  type ContainerState,
  type FakePodInit,
  type PodJson,
  type Selector,
} from './fake-kube-pods.js';

export type { ContainerState, FakePodInit, LogEntry, LogRef, PodJson };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
}

interface HistoryEntry {
  readonly resourceVersion: number;
  readonly before: PodJson | undefined;
  readonly after: PodJson | undefined;
}

interface OpenWatch {
  readonly response: ServerResponse;
  readonly namespace: string | undefined;
  readonly selector: Selector;
  readonly bookmarks: boolean;
}

interface ContainerLog {
  readonly entries: LogEntry[];
  readonly followers: Set<ServerResponse>;
}

const TOKEN = 'fake-token';

export class FakeKubeApi {
  private readonly pods = new Map<string, PodJson>();
  private readonly history: HistoryEntry[] = [];
  private resourceVersion = 1;
  /** Watches from a version below this get 410 Gone. */
  private oldestWatchableVersion = 0;
  private readonly watches = new Set<OpenWatch>();
  private readonly logs = new Map<string, ContainerLog>();
  private readonly recorded: RecordedRequest[] = [];
  private readonly requestEvents = new EventEmitter();
  private readonly failures = new Map<'list' | 'watch', number[]>();
  private lastLogNanos = 0n;
  private nextUid = 1;

  private constructor(
    private readonly server: Server,
    /** Base URL, e.g. http://127.0.0.1:41234 */
    readonly url: string,
  ) {}

  static async start(): Promise<FakeKubeApi> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const api = new FakeKubeApi(server, `http://127.0.0.1:${port}`);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      api.handle(request, response);
    });
    return api;
  }

  /** A kubeconfig pointing at this server, with a bearer token the server records. */
  kubeConfig(): KubeConfig {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'fake', token: TOKEN }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'fake' }],
      currentContext: 'fake',
    });
    return kubeConfig;
  }

  /** Writes that kubeconfig to `path` (for a daemon in another process: KUBECONFIG or kubeconfigPath). */
  async writeKubeconfigFile(path: string): Promise<string> {
    // JSON is YAML, which is what kubeconfig loaders read.
    await writeFile(path, this.kubeConfig().exportConfig(), { mode: 0o600 });
    return path;
  }

  async close(): Promise<void> {
    for (const watch of this.watches) watch.response.destroy();
    for (const log of this.logs.values()) for (const response of log.followers) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  // ── requests ──────────────────────────────────────────────────────────────

  /** Every request received so far, in order. */
  requests(): readonly RecordedRequest[] {
    return [...this.recorded];
  }

  /** Log requests for one container, in order. */
  logRequests(ref: LogRef): RecordedRequest[] {
    return this.recorded.filter(
      (request) => request.path === logPath(ref) && request.query.container === ref.container,
    );
  }

  /** Watch requests so far, in order. */
  watchRequests(): RecordedRequest[] {
    return this.recorded.filter((request) => request.query.watch === 'true');
  }

  /** List (not watch) requests for pods so far, in order. */
  listRequests(): RecordedRequest[] {
    return this.recorded.filter(
      (request) => request.path.endsWith('/pods') && request.query.watch !== 'true',
    );
  }

  /** Resolves once `count` requests satisfying `predicate` have been received (counting earlier ones). */
  async waitForRequests(
    predicate: (request: RecordedRequest) => boolean,
    count = 1,
  ): Promise<RecordedRequest[]> {
    for (;;) {
      const matching = this.recorded.filter(predicate);
      if (matching.length >= count) return matching;
      await once(this.requestEvents, 'request');
    }
  }

  waitForLogRequests(ref: LogRef, count = 1): Promise<RecordedRequest[]> {
    return this.waitForRequests(
      (request) => request.path === logPath(ref) && request.query.container === ref.container,
      count,
    );
  }

  waitForWatchRequests(count = 1): Promise<RecordedRequest[]> {
    return this.waitForRequests((request) => request.query.watch === 'true', count);
  }

  /** Answers the next `count` list or watch requests with `status` (a Kubernetes Status body). */
  failNext(kind: 'list' | 'watch', status: number, count = 1): void {
    const queue = this.failures.get(kind) ?? [];
    for (let i = 0; i < count; i += 1) queue.push(status);
    this.failures.set(kind, queue);
  }

  // ── pods ──────────────────────────────────────────────────────────────────

  addPod(init: FakePodInit): PodJson {
    const namespace = init.namespace ?? 'default';
    const containers = init.containers ?? ['main'];
    const state = init.state ?? 'running';
    const pod: PodJson = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: init.name,
        namespace,
        uid: `00000000-0000-4000-8000-${String(this.nextUid++).padStart(12, '0')}`,
        resourceVersion: '',
        labels: { ...init.labels },
        creationTimestamp: new Date().toISOString(),
      },
      spec: { containers: containers.map((name) => ({ name, image: 'registry.example/fake:1' })) },
      status: { phase: 'Pending', containerStatuses: containers.map((name) => containerStatus(name, state)) },
    };
    pod.status.phase = podPhase(pod);
    for (const name of containers)
      this.logs.set(logKey({ namespace, pod: init.name, container: name }), {
        entries: [],
        followers: new Set(),
      });
    this.record(undefined, pod);
    return structuredClone(pod);
  }

  /** Changes one container's state (a MODIFIED event); a terminated container's log streams end. */
  setContainerState(ref: LogRef, state: ContainerState): PodJson {
    const before = this.requirePod(ref.namespace, ref.pod);
    const after = structuredClone(before);
    after.status.containerStatuses = after.status.containerStatuses.map((status) =>
      status.name === ref.container ? containerStatus(ref.container, state) : status,
    );
    after.status.phase = podPhase(after);
    this.record(before, after);
    if (state === 'terminated') this.endLogStreams(ref);
    return structuredClone(after);
  }

  /** Replaces a pod's labels (a MODIFIED event, or ADDED/DELETED for watches whose selector it enters or leaves). */
  setLabels(namespace: string, name: string, labels: Readonly<Record<string, string>>): void {
    const before = this.requirePod(namespace, name);
    const after = structuredClone(before);
    after.metadata.labels = { ...labels };
    this.record(before, after);
  }

  /** Deletes a pod (a DELETED event) and ends its containers' log streams. */
  deletePod(namespace: string, name: string): void {
    const before = this.requirePod(namespace, name);
    this.record(before, undefined);
    for (const { name: container } of before.spec.containers) {
      const key = logKey({ namespace, pod: name, container });
      for (const response of this.logs.get(key)?.followers ?? []) response.end();
      this.logs.delete(key);
    }
  }

  pod(namespace: string, name: string): PodJson | undefined {
    const pod = this.pods.get(`${namespace}/${name}`);
    return pod === undefined ? undefined : structuredClone(pod);
  }

  /** Sends a BOOKMARK at the current version to every open watch that asked for bookmarks. */
  bookmark(): void {
    const object = {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(this.resourceVersion) },
    };
    for (const watch of this.watches) if (watch.bookmarks) writeEvent(watch.response, 'BOOKMARK', object);
  }

  /**
   * Forgets the event history, as etcd compaction does: open watches get an ERROR 410 event and end,
   * and a watch from an older version gets the same, so the informer must list again.
   */
  compact(): void {
    this.oldestWatchableVersion = this.resourceVersion;
    this.history.length = 0;
    for (const watch of [...this.watches]) this.sendGone(watch.response);
  }

  /** Ends every open watch cleanly, as the server does when a watch's timeout expires. */
  endWatches(): void {
    for (const watch of [...this.watches]) watch.response.end();
  }

  /** Writes a line that is not JSON to every open watch. */
  writeWatchGarbage(text = 'this is not JSON'): void {
    for (const watch of this.watches) watch.response.write(`${text}\n`);
  }

  openWatchCount(): number {
    return this.watches.size;
  }

  // ── logs ──────────────────────────────────────────────────────────────────

  /** Appends lines to a container's log, stamped with increasing times, and streams them to followers. */
  appendLog(ref: LogRef, ...texts: string[]): LogEntry[] {
    return this.appendLogEntries(
      ref,
      texts.map((text) => ({ time: this.nextLogTime(), text })),
    );
  }

  /** Appends lines with the given times (any RFC3339Nano, equal times allowed) and streams them. */
  appendLogEntries(ref: LogRef, entries: readonly LogEntry[]): LogEntry[] {
    const log = this.requireLog(ref);
    for (const entry of entries) {
      log.entries.push(entry);
      for (const response of log.followers) response.write(formatLine(entry, timestampsOf(response)));
    }
    return [...entries];
  }

  /**
   * Breaks every open log stream of the container. With `partialText`, that line is first appended to
   * the log, and followers receive only its first half before the connection drops.
   */
  cutLogStreams(ref: LogRef, partialText?: string): void {
    const log = this.requireLog(ref);
    let entry: LogEntry | undefined;
    if (partialText !== undefined) {
      entry = { time: this.nextLogTime(), text: partialText };
      log.entries.push(entry);
    }
    for (const response of [...log.followers]) {
      if (entry !== undefined) {
        const line = formatLine(entry, timestampsOf(response));
        response.write(line.slice(0, Math.max(1, Math.floor(line.length / 2))));
      }
      log.followers.delete(response);
      // Destroying the socket mid-body is what a dropped connection looks like to the client.
      response.socket?.destroy();
    }
  }

  /** Ends every open log stream of the container cleanly (the client sees a normal end of body). */
  endLogStreams(ref: LogRef): void {
    const log = this.logs.get(logKey(ref));
    for (const response of log?.followers ?? []) response.end();
    log?.followers.clear();
  }

  openLogStreams(ref: LogRef): number {
    return this.logs.get(logKey(ref))?.followers.size ?? 0;
  }

  logEntries(ref: LogRef): LogEntry[] {
    return [...this.requireLog(ref).entries];
  }

  // ── serving ───────────────────────────────────────────────────────────────

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query,
      authorization: request.headers.authorization,
    };
    this.recorded.push(recorded);
    this.requestEvents.emit('request', recorded);
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      sendStatus(response, 401, 'Unauthorized');
      return;
    }
    if (request.method !== 'GET') {
      sendStatus(response, 405, `Method ${request.method ?? ''} is not allowed.`);
      return;
    }
    const podsPath = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?pods$/.exec(url.pathname);
    if (podsPath !== null) {
      const namespace = podsPath[1] === undefined ? undefined : decodeURIComponent(podsPath[1]);
      if (query.watch === 'true' || query.watch === '1') {
        this.serveWatch(response, namespace, query);
        return;
      }
      this.serveList(response, namespace, query);
      return;
    }
    const logPathMatch = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(url.pathname);
    if (logPathMatch?.[1] !== undefined && logPathMatch[2] !== undefined) {
      this.serveLog(
        response,
        decodeURIComponent(logPathMatch[1]),
        decodeURIComponent(logPathMatch[2]),
        query,
      );
      return;
    }
    sendStatus(response, 404, `The path ${url.pathname} is not served by the fake API.`);
  }

  private serveList(
    response: ServerResponse,
    namespace: string | undefined,
    query: Record<string, string>,
  ): void {
    if (this.takeFailure('list', response)) return;
    const selector = parseSelector(query.labelSelector ?? '');
    const items = [...this.pods.values()].filter((pod) => visible(pod, namespace, selector));
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(
      JSON.stringify({
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(this.resourceVersion) },
        items,
      }),
    );
  }

  private serveWatch(
    response: ServerResponse,
    namespace: string | undefined,
    query: Record<string, string>,
  ): void {
    if (this.takeFailure('watch', response)) return;
    const selector = parseSelector(query.labelSelector ?? '');
    const from = Number(query.resourceVersion ?? '0');
    response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    response.flushHeaders();
    if (from < this.oldestWatchableVersion) {
      this.sendGone(response);
      return;
    }
    const watch: OpenWatch = {
      response,
      namespace,
      selector,
      bookmarks: query.allowWatchBookmarks === 'true',
    };
    for (const entry of this.history) if (entry.resourceVersion > from) sendChange(watch, entry);
    this.watches.add(watch);
    response.on('close', () => this.watches.delete(watch));
  }

  private serveLog(
    response: ServerResponse,
    namespace: string,
    name: string,
    query: Record<string, string>,
  ): void {
    const pod = this.pods.get(`${namespace}/${name}`);
    if (pod === undefined) {
      sendStatus(response, 404, `pods "${name}" not found`);
      return;
    }
    const container = query.container ?? pod.spec.containers[0]?.name ?? '';
    const log = this.logs.get(logKey({ namespace, pod: name, container }));
    const state = pod.status.containerStatuses.find((status) => status.name === container)?.state;
    if (log === undefined || state === undefined) {
      sendStatus(response, 400, `container ${container} is not valid for pod ${name}`);
      return;
    }
    if ('waiting' in state) {
      sendStatus(
        response,
        400,
        `container "${container}" in pod "${name}" is waiting to start: ContainerCreating`,
      );
      return;
    }
    const timestamps = query.timestamps === 'true';
    response.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    response.flushHeaders();
    (response as TimestampedResponse).timestamps = timestamps;
    for (const entry of selectEntries(log.entries, query)) response.write(formatLine(entry, timestamps));
    if (query.follow !== 'true' || 'terminated' in state) return void response.end();
    log.followers.add(response);
    response.on('close', () => log.followers.delete(response));
  }

  // ── internals ─────────────────────────────────────────────────────────────

  private record(before: PodJson | undefined, after: PodJson | undefined): void {
    this.resourceVersion += 1;
    const version = String(this.resourceVersion);
    let entry: HistoryEntry;
    if (after === undefined && before !== undefined) {
      // The DELETED event carries the last state with a new resource version.
      const last = structuredClone(before);
      last.metadata.resourceVersion = version;
      this.pods.delete(podKey(before));
      entry = { resourceVersion: this.resourceVersion, before: last, after: undefined };
    } else if (after !== undefined) {
      after.metadata.resourceVersion = version;
      this.pods.set(podKey(after), structuredClone(after));
      entry = { resourceVersion: this.resourceVersion, before, after: structuredClone(after) };
    } else {
      return;
    }
    this.history.push(entry);
    for (const watch of this.watches) sendChange(watch, entry);
  }

  private sendGone(response: ServerResponse): void {
    writeEvent(response, 'ERROR', {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'too old resource version',
      reason: 'Expired',
      code: 410,
    });
    response.end();
  }

  private takeFailure(kind: 'list' | 'watch', response: ServerResponse): boolean {
    const status = this.failures.get(kind)?.shift();
    if (status === undefined) return false;
    sendStatus(response, status, `injected ${kind} failure`);
    return true;
  }

  /** Strictly increasing times near the wall clock, with nanosecond digits. */
  private nextLogTime(): string {
    const now = BigInt(Date.now()) * 1_000_000n + 123n;
    this.lastLogNanos = now > this.lastLogNanos ? now : this.lastLogNanos + 1_000n;
    return formatRfc3339Nano(this.lastLogNanos);
  }

  private requirePod(namespace: string, name: string): PodJson {
    const pod = this.pods.get(`${namespace}/${name}`);
    if (pod === undefined) throw new Error(`No pod ${namespace}/${name} in the fake API.`);
    return pod;
  }

  private requireLog(ref: LogRef): ContainerLog {
    const log = this.logs.get(logKey(ref));
    if (log === undefined)
      throw new Error(`No container ${ref.container} in pod ${ref.namespace}/${ref.pod}.`);
    return log;
  }
}

/** Sends one history entry as the watch sees it: entering the selection is ADDED, leaving it DELETED. */
function sendChange(watch: OpenWatch, entry: HistoryEntry): void {
  const wasVisible = entry.before !== undefined && visible(entry.before, watch.namespace, watch.selector);
  const isVisible = entry.after !== undefined && visible(entry.after, watch.namespace, watch.selector);
  if (entry.after === undefined) {
    if (wasVisible) writeEvent(watch.response, 'DELETED', entry.before);
  } else if (isVisible) {
    writeEvent(watch.response, wasVisible ? 'MODIFIED' : 'ADDED', entry.after);
  } else if (wasVisible) {
    writeEvent(watch.response, 'DELETED', entry.after);
  }
}

function writeEvent(response: ServerResponse, type: string, object: object): void {
  response.write(`${JSON.stringify({ type, object })}\n`);
}

function sendStatus(response: ServerResponse, code: number, message: string): void {
  response.writeHead(code, { 'Content-Type': 'application/json' });
  response.end(
    JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code }),
  );
}
