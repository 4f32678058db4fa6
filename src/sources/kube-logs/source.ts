import type { KubeConfig } from '@kubernetes/client-node';
import type { Origin, RawLine } from '../../contracts.js';
import { parseSourceConfig, SourceConfigError } from '../context.js';
import type { SourceContext } from '../context.js';
import type { SourceCounters } from '../counters.js';
import { describeError } from '../events.js';
import type { Source } from '../source.js';
import { realDelay } from './backoff.js';
import type { Delay } from './backoff.js';
import { KubeLogsConfigSchema } from './config.js';
import type { KubeLogsConfig } from './config.js';
import { KubeLogsEvents } from './events.js';
import type { KubeLogsCounters } from './events.js';
import { ContainerFollower } from './follow.js';
import { checkKubeConfig, loadKubeConfig } from './kubeconfig.js';
import { LineQueue } from '../line-queue.js';
import { PodWatcher } from './pods.js';
import type { Pod } from './pods.js';
import { nanosFromMillis } from './timestamp.js';

export interface KubeLogsContext extends SourceContext {
  /** Use this kubeconfig instead of loading one (tests, or a caller that already has one). */
  readonly kubeConfig?: KubeConfig;
  /** Waits between restarts; injected so tests need not wait. */
  readonly delay?: Delay;
  /** Clock in ms since the epoch, for `startAt: end`. */
  readonly now?: () => number;
}

/**
 * Validates the settings and the kubeconfig, and returns the source; nothing runs until `batches()`.
 * Throws a `SourceConfigError` naming the setting when something cannot work.
 */
export function buildKubeLogsSource(input: unknown, context: KubeLogsContext): KubeLogsSource {
  const config = parseSourceConfig('kube-logs', KubeLogsConfigSchema, input);
  if (config.restartMaxMs < config.restartInitialMs) {
    throw new SourceConfigError(
      `kube-logs source ${config.id}: restartMaxMs (${config.restartMaxMs}) is below restartInitialMs (${config.restartInitialMs}).`,
    );
  }
  let kubeConfig: KubeConfig;
  try {
    kubeConfig = context.kubeConfig ?? loadKubeConfig(config.kubeconfigPath);
    checkKubeConfig(kubeConfig);
  } catch (error) {
    const setting =
      config.kubeconfigPath === undefined ? 'kubeconfig' : `kubeconfigPath ${config.kubeconfigPath}`;
    throw new SourceConfigError(`kube-logs source ${config.id}: ${setting}: ${describeError(error)}`);
  }
  return new KubeLogsSource(config, kubeConfig, context);
}

interface Followed {
  readonly follower: ContainerFollower;
  readonly running: Promise<void>;
}

/** Lines of every container of every pod that matches the selector, as long as the pod exists. */
export class KubeLogsSource implements Source {
  readonly id: string;
  private readonly events: KubeLogsEvents;
  private readonly queue: LineQueue;
  private readonly watcher: PodWatcher;
  private readonly delay: Delay;
  private readonly startedAtMs: number;
  /** Latest state of each matching pod, by uid. */
  private readonly pods = new Map<string, Pod>();
  /** Uid of the pod each `namespace/name` stands for now: a relist can replace a pod without a delete. */
  private readonly uidByName = new Map<string, string>();
  /** By `uid/container`. */
  private readonly followed = new Map<string, Followed>();
  private started = false;
  private stopped = false;

  constructor(
    private readonly config: KubeLogsConfig,
    private readonly kubeConfig: KubeConfig,
    context: KubeLogsContext,
  ) {
    this.id = config.id;
    const logger = context.logger.child({ component: 'source', id: config.id });
    this.events = new KubeLogsEvents(logger);
    this.queue = new LineQueue(config.maxBufferedLines, config.maxBatchLines);
    this.delay = context.delay ?? realDelay;
    this.startedAtMs = (context.now ?? Date.now)();
    this.watcher = new PodWatcher(
      {
        kubeConfig,
        labelSelector: config.labelSelector,
        namespace: config.namespace,
        watchTimeoutSecs: config.watchTimeoutSecs,
        restartInitialMs: config.restartInitialMs,
        restartMaxMs: config.restartMaxMs,
        delay: this.delay,
        events: this.events,
      },
      {
        podChanged: (pod) => {
          this.podChanged(pod);
        },
        podDeleted: (pod) => {
          this.podDeleted(pod);
        },
      },
    );
  }

  /** Starts watching pods on the first call. */
  batches(): AsyncIterable<readonly RawLine[]> {
    if (!this.started && !this.stopped) {
      this.started = true;
      void this.watcher.start();
    }
    return this.queue.batches();
  }

  /** Nothing is persisted: after a restart, `startAt` decides where reading begins. */
  commit(_origin: Origin): void {
    // Intentionally empty; see the doc comment.
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.watcher.stop();
    const running = [...this.followed.values()];
    this.followed.clear();
    for (const { follower } of running) follower.stop();
    this.queue.close();
    await Promise.all(running.map(({ running: done }) => done));
  }

  /** For /readyz: the pod informer has listed the pods and has not failed since. */
  ready(): boolean {
    return this.watcher.isConnected();
  }

  /** Lines and bytes read, and lines lost (not the overlap dropped on purpose), as every source reports. */
  counters(): SourceCounters {
    return this.events.sourceCounters();
  }

  /** Every counter of this source, drops by exact reason, streams and informer restarts included. */
  telemetry(): KubeLogsCounters {
    return this.events.snapshot();
  }

  /** Containers followed now, as `namespace/pod/container`. */
  followedContainers(): string[] {
    return [...this.followed.values()]
      .map(({ follower }) => `${follower.ref.pod}/${follower.ref.container}`)
      .sort();
  }

  private podChanged(pod: Pod): void {
    if (this.stopped) return;
    const uid = pod.metadata.uid;
    const podName = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const previousUid = this.uidByName.get(podName);
    // After a relist, a pod deleted and recreated under the same name arrives as an update.
    if (previousUid !== undefined && previousUid !== uid) this.forget(previousUid);
    this.uidByName.set(podName, uid);
    this.pods.set(uid, pod);
    for (const { name } of pod.spec.containers) {
      if (this.config.container !== undefined && name !== this.config.container) continue;
      const key = `${uid}/${name}`;
      const existing = this.followed.get(key);
      if (existing !== undefined) existing.follower.podChanged();
      else this.follow(key, pod, name);
    }
  }

  private follow(key: string, pod: Pod, container: string): void {
    const uid = pod.metadata.uid;
    const fromStartup = this.config.startAt === 'end' && this.watcher.wasInFirstList(uid);
    const follower = new ContainerFollower(
      { namespace: pod.metadata.namespace, pod: pod.metadata.name, container },
      {
        kubeConfig: this.kubeConfig,
        sourceId: this.id,
        maxLineBytes: this.config.maxLineBytes,
        resumeInitialMs: this.config.restartInitialMs,
        resumeMaxMs: this.config.restartMaxMs,
        delay: this.delay,
        events: this.events,
        queue: this.queue,
        isRunning: () => isContainerRunning(this.pods.get(uid), container),
        startAfterNanos: fromStartup ? nanosFromMillis(this.startedAtMs) : undefined,
      },
    );
    this.followed.set(key, { follower, running: follower.run() });
  }

  private podDeleted(pod: Pod): void {
    const podName = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (this.uidByName.get(podName) === pod.metadata.uid) this.uidByName.delete(podName);
    this.forget(pod.metadata.uid);
  }

  /** Stops following the containers of the pod with this uid. */
  private forget(uid: string): void {
    this.pods.delete(uid);
    for (const [key, { follower }] of this.followed) {
      if (!key.startsWith(`${uid}/`)) continue;
      this.followed.delete(key);
      follower.stop();
      this.events.followStopped(follower.ref);
    }
  }
}

function isContainerRunning(pod: Pod | undefined, container: string): boolean {
  const status = pod?.status?.containerStatuses?.find((candidate) => candidate.name === container);
  return status?.state?.running !== undefined;
}
