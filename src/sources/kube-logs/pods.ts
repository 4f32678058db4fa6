import { ListWatch, V1ListMeta } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { z } from 'zod';
import { Backoff } from './backoff.js';
import type { Delay } from './backoff.js';
import type { KubeLogsEvents } from './events.js';
import { kubeGet } from './kube-http.js';
import { CountingWatch } from './watch.js';

/** The part of a pod the source reads; everything else passes through untouched. */
export const PodSchema = z.looseObject({
  metadata: z.looseObject({
    name: z.string().min(1),
    namespace: z.string().min(1),
    uid: z.string().min(1),
    resourceVersion: z.string().optional(),
  }),
  spec: z.looseObject({ containers: z.array(z.looseObject({ name: z.string().min(1) })) }),
  status: z
    .looseObject({
      containerStatuses: z
        .array(
          z.looseObject({
            name: z.string(),
            state: z.looseObject({ running: z.looseObject({}).optional() }).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});
export type Pod = z.infer<typeof PodSchema>;

const PodListSchema = z.looseObject({
  metadata: z.looseObject({ resourceVersion: z.string().optional() }).optional(),
  items: z.array(z.unknown()).nullable().optional(),
});

/** Longest pod list read; far beyond any honeycluster. */
const MAX_LIST_BYTES = 256 * 1024 * 1024;

export interface PodListener {
  podChanged(pod: Pod): void;
  podDeleted(pod: Pod): void;
}

export interface PodWatcherOptions {
  readonly kubeConfig: KubeConfig;
  readonly labelSelector: string;
  /** Undefined: every namespace. */
  readonly namespace: string | undefined;
  readonly watchTimeoutSecs: number;
  readonly restartInitialMs: number;
  readonly restartMaxMs: number;
  readonly delay: Delay;
  readonly events: KubeLogsEvents;
}

/**
 * Finds the pods that match the selector with the client's ListWatch informer (list, then watch from the
 * list's version; relist on 410 Gone), and restarts the informer with backoff when it stops on an error.
 */
export class PodWatcher {
  private readonly informer: ListWatch<KubernetesObject>;
  private readonly backoff: Backoff;
  private readonly stopping = new AbortController();
  private firstListUids: ReadonlySet<string> | undefined;
  /** The last list or watch event succeeded; false from an informer error until it recovers. */
  private connected = false;

  constructor(
    private readonly options: PodWatcherOptions,
    private readonly listener: PodListener,
  ) {
    this.backoff = new Backoff({ initialMs: options.restartInitialMs, maxMs: options.restartMaxMs });
    const path =
      options.namespace === undefined
        ? '/api/v1/pods'
        : `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/pods`;
    const watch = new CountingWatch(
      options.kubeConfig,
      {
        unparsable: (error) => {
          options.events.watchLineUnparsable(error);
        },
        event: () => {
          this.connected = true;
          this.backoff.reset();
        },
      },
      {
        timeoutSecs: options.watchTimeoutSecs,
        backoff: this.backoff,
        delay: options.delay,
        signal: this.stopping.signal,
      },
    );
    this.informer = new ListWatch(path, watch, () => this.list(path), false, options.labelSelector);
    this.informer.on('add', (object) => {
      this.changed(object);
    });
    this.informer.on('update', (object) => {
      this.changed(object);
    });
    this.informer.on('delete', (object) => {
      this.deleted(object);
    });
    this.informer.on('error', (error: unknown) => void this.restartAfter(error));
  }

  /** Whether the pod was in the first successful list (as opposed to created while the source ran). */
  /** Whether the informer is in touch with the API server: listed, and not failed since. */
  isConnected(): boolean {
    return this.connected;
  }

  wasInFirstList(uid: string): boolean {
    return this.firstListUids?.has(uid) ?? false;
  }

  async start(): Promise<void> {
    await this.informer.start().catch((error: unknown) => this.restartAfter(error));
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.informer.stop();
  }

  /** A method, so that TypeScript does not assume the flag is unchanged across awaits. */
  private isStopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async restartAfter(error: unknown): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.connected = false;
    const delayMs = this.backoff.next();
    this.options.events.informerError(error, delayMs);
    await this.options.delay(delayMs, this.stopping.signal);
    if (this.isStopped()) return;
    await this.informer.start().catch((startError: unknown) => this.restartAfter(startError));
  }

  private async list(path: string): Promise<KubernetesListObject<KubernetesObject>> {
    const response = await kubeGet(
      this.options.kubeConfig,
      path,
      { labelSelector: this.options.labelSelector },
      this.stopping.signal,
    );
    const list = PodListSchema.parse(JSON.parse(await readBody(response)));
    const pods: Pod[] = [];
    for (const item of list.items ?? []) {
      const parsed = PodSchema.safeParse(item);
      if (parsed.success) pods.push(parsed.data);
      else this.options.events.podInvalid(parsed.error);
    }
    this.firstListUids ??= new Set(pods.map((pod) => pod.metadata.uid));
    this.connected = true;
    this.backoff.reset();
    const metadata = new V1ListMeta();
    metadata.resourceVersion = list.metadata?.resourceVersion ?? '';
    return { metadata, items: pods };
  }

  private changed(object: KubernetesObject): void {
    const parsed = PodSchema.safeParse(object);
    if (parsed.success) this.listener.podChanged(parsed.data);
    else this.options.events.podInvalid(parsed.error);
  }

  private deleted(object: KubernetesObject): void {
    const parsed = PodSchema.safeParse(object);
    if (parsed.success) this.listener.podDeleted(parsed.data);
    else this.options.events.podInvalid(parsed.error);
  }
}

async function readBody(response: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of response) {
    bytes += chunk.length;
    if (bytes > MAX_LIST_BYTES) throw new Error(`The pod list is larger than ${MAX_LIST_BYTES} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
