import type { IncomingMessage } from 'node:http';
import { Watch } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { LineSplitter } from '../lines.js';
import type { Backoff, Delay } from './backoff.js';
import { kubeGet } from './kube-http.js';

/** Longest watch event line; a pod object is far smaller. */
const MAX_WATCH_LINE_BYTES = 16 * 1024 * 1024;

/** A watch ending this soon without an event is suspicious: the next one waits a backoff delay. */
const QUICK_CLOSE_MS = 1000;

const WatchEventSchema = z.object({ type: z.string(), object: z.record(z.string(), z.unknown()) });

export interface CountingWatchHooks {
  /** A watch line that is not a JSON watch event. */
  unparsable(error: unknown): void;
  /** Any event arrived: the connection is healthy. */
  event(): void;
}

export interface CountingWatchOptions {
  /** Asked of the server, so a half-open connection is replaced at least this often. */
  readonly timeoutSecs: number;
  readonly backoff: Backoff;
  readonly delay: Delay;
  readonly signal: AbortSignal;
}

type WatchCallback = (phase: string, apiObject: unknown, watchObject?: unknown) => void;

/**
 * The client's `Watch` with the same single-exit contract (`done` exactly once), for `ListWatch`.
 * Differs in what the client hides: unparsable lines are counted, not dropped silently; bookmarks
 * are asked for; a server that keeps closing empty watches is not hammered.
 */
export class CountingWatch extends Watch {
  private lastWasQuickAndEmpty = false;

  constructor(
    kubeConfig: KubeConfig,
    private readonly hooks: CountingWatchHooks,
    private readonly options: CountingWatchOptions,
  ) {
    super(kubeConfig);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: WatchCallback,
    done: (error: unknown) => void,
  ): Promise<AbortController> {
    const controller = new AbortController();
    // Aborted by ListWatch (its stop) or by the source stopping, even while this watch waits to start.
    const signal = AbortSignal.any([controller.signal, this.options.signal]);
    let doneCalled = false;
    const finish = (error: unknown): void => {
      if (doneCalled) return;
      doneCalled = true;
      // An abort is a stop: a clean end, not an error to restart from.
      const aborted = signal.aborted;
      controller.abort();
      done(aborted ? null : error);
    };
    if (this.lastWasQuickAndEmpty) await this.options.delay(this.options.backoff.next(), signal);
    const query: Record<string, string> = {
      watch: 'true',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(this.options.timeoutSecs),
    };
    for (const [key, value] of Object.entries(queryParams))
      if (value !== undefined) query[key] = String(value);
    const started = Date.now();
    kubeGet(this.config, path, query, signal)
      .then((response) => this.readEvents(response, callback))
      .then((events) => {
        this.lastWasQuickAndEmpty = events === 0 && Date.now() - started < QUICK_CLOSE_MS;
        finish(null);
      }, finish);
    return controller;
  }

  /** Calls back for each event line until the response ends; returns how many events came. */
  private async readEvents(response: IncomingMessage, callback: WatchCallback): Promise<number> {
    response.socket.setKeepAlive(true, 30_000);
    const splitter = new LineSplitter({ maxLineBytes: MAX_WATCH_LINE_BYTES });
    let events = 0;
    const handle = (results: ReturnType<LineSplitter['push']>): void => {
      for (const result of results) {
        if (result.kind === 'too-long') {
          this.hooks.unparsable(new Error(`A watch line of ${result.bytes} bytes is too long.`));
        } else if (result.text.trim() !== '' && this.dispatch(result.text, callback)) {
          events += 1;
        }
      }
    };
    for await (const chunk of response as AsyncIterable<Buffer>) handle(splitter.push(chunk));
    handle(splitter.end());
    return events;
  }

  private dispatch(line: string, callback: WatchCallback): boolean {
    let event: z.infer<typeof WatchEventSchema>;
    try {
      event = WatchEventSchema.parse(JSON.parse(line));
    } catch (error) {
      this.hooks.unparsable(error);
      return false;
    }
    this.hooks.event();
    callback(event.type, event.object, event);
    return true;
  }
}
