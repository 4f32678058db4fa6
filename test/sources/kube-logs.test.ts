import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import type { RawLine } from '../../src/contracts.js';
import { SourceConfigError } from '../../src/sources/context.js';
import { buildKubeLogsSource } from '../../src/sources/kube-logs/index.js';
import type {
  Delay,
  KubeLogsConfigInput,
  KubeLogsContext,
  KubeLogsSource,
} from '../../src/sources/kube-logs/index.js';
import { FakeKubeApi } from '../helpers/fake-kube-api.js';
import type { LogRef } from '../helpers/fake-kube-api.js';

const TETRAGON = { 'app.kubernetes.io/name': 'tetragon' };
const SELECTOR = 'app.kubernetes.io/name=tetragon';
const OPTIONS = { timeout: 20_000 };

/** Everything a test needs around one source: the fake API, the lines read, the delays asked for, the log. */
interface Harness {
  readonly api: FakeKubeApi;
  readonly source: KubeLogsSource;
  readonly lines: RawLine[];
  readonly delays: number[];
  readonly logCodes: string[];
  /** Resolves once at least `count` lines have been read. */
  waitForLines(count: number): Promise<void>;
  /** Resolves once `predicate` holds; re-checked after each line, log record or request. */
  waitUntil(predicate: () => boolean): Promise<void>;
  /** Holds every delay until `release()` is called (then delays pass at once again). */
  holdDelays(): { release(): void };
  close(): Promise<void>;
}

async function harness(
  config: Partial<KubeLogsConfigInput>,
  setUp?: (api: FakeKubeApi) => void,
): Promise<Harness> {
  const api = await FakeKubeApi.start();
  setUp?.(api);
  const changes = new EventEmitter();
  const logCodes: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const record = JSON.parse(line) as { code?: string };
        if (record.code !== undefined) logCodes.push(record.code);
      }
      changes.emit('change');
      done();
    },
  });
  const delays: number[] = [];
  let gate: Promise<void> | undefined;
  const delay: Delay = async (ms) => {
    delays.push(ms);
    changes.emit('change');
    await gate;
    await new Promise((resolve) => setImmediate(resolve));
  };
  const source = buildKubeLogsSource(
    { labelSelector: SELECTOR, startAt: 'beginning', ...config },
    { logger: pino({ level: 'debug' }, logStream), kubeConfig: api.kubeConfig(), delay },
  );
  const lines: RawLine[] = [];
  const reading = (async () => {
    for await (const batch of source.batches()) {
      lines.push(...batch);
      changes.emit('change');
    }
  })();
  const interval = setInterval(() => changes.emit('change'), 20);
  const waitUntil = async (predicate: () => boolean): Promise<void> => {
    while (!predicate()) await once(changes, 'change');
  };
  return {
    api,
    source,
    lines,
    delays,
    logCodes,
    waitForLines: (count) => waitUntil(() => lines.length >= count),
    waitUntil,
    holdDelays() {
      let release = (): void => undefined;
      gate = new Promise((resolve) => (release = resolve));
      return {
        release: () => {
          gate = undefined;
          release();
        },
      };
    },
    async close() {
      clearInterval(interval);
      await source.stop();
      await reading;
      await api.close();
    },
  };
}

function texts(lines: readonly RawLine[]): string[] {
  return lines.map((line) => line.text);
}

function ref(pod: string, container = 'main', namespace = 'default'): LogRef {
  return { namespace, pod, container };
}

test(
  'follows every running container of the pods that match, with timestamps stripped',
  OPTIONS,
  async () => {
    const h = await harness({}, (api) => {
      api.addPod({ name: 'tetragon-a', labels: TETRAGON });
      api.addPod({ name: 'tetragon-b', namespace: 'kube-system', labels: TETRAGON });
      api.addPod({ name: 'falco-x', labels: { 'app.kubernetes.io/name': 'falco' } });
      api.appendLog(ref('tetragon-a'), '{"a":1}', '{"a":2}');
      api.appendLog(ref('tetragon-b', 'main', 'kube-system'), '{"b":1}');
      api.appendLog(ref('falco-x'), '{"falco":1}');
    });
    try {
      await h.waitForLines(3);
      h.api.appendLog(ref('tetragon-a'), '{"a":3}');
      await h.waitForLines(4);
      const byPod = (pod: string): string[] => texts(h.lines.filter((line) => line.origin.pod === pod));
      assert.deepEqual(byPod('default/tetragon-a'), ['{"a":1}', '{"a":2}', '{"a":3}']);
      assert.deepEqual(byPod('kube-system/tetragon-b'), ['{"b":1}']);
      assert.deepEqual(h.source.followedContainers(), [
        'default/tetragon-a/main',
        'kube-system/tetragon-b/main',
      ]);
      assert.equal(h.api.logRequests(ref('falco-x')).length, 0);
      const first = h.lines.find((line) => line.text === '{"a":1}');
      assert.deepEqual(first?.origin, {
        source: 'kube-logs',
        pod: 'default/tetragon-a',
        container: 'main',
        line: 1,
      });
      const [request] = h.api.logRequests(ref('tetragon-a'));
      assert.deepEqual(request?.query, { container: 'main', follow: 'true', timestamps: 'true' });
      assert.equal(request.authorization, 'Bearer fake-token');
      for (const list of h.api.listRequests()) assert.equal(list.query.labelSelector, SELECTOR);
      for (const watch of h.api.watchRequests()) assert.equal(watch.query.labelSelector, SELECTOR);
    } finally {
      await h.close();
    }
  },
);

test('reads only the configured container, in the configured namespace', OPTIONS, async () => {
  const h = await harness({ container: 'export-stdout', namespace: 'kube-system' }, (api) => {
    api.addPod({
      name: 't1',
      namespace: 'kube-system',
      labels: TETRAGON,
      containers: ['tetragon', 'export-stdout'],
    });
    api.addPod({
      name: 't2',
      namespace: 'default',
      labels: TETRAGON,
      containers: ['tetragon', 'export-stdout'],
    });
    api.appendLog(ref('t1', 'tetragon', 'kube-system'), 'agent chatter');
    api.appendLog(ref('t1', 'export-stdout', 'kube-system'), '{"process_exec":{}}');
    api.appendLog(ref('t2', 'export-stdout', 'default'), '{"other":"namespace"}');
  });
  try {
    await h.waitForLines(1);
    h.api.appendLog(ref('t1', 'export-stdout', 'kube-system'), '{"process_exit":{}}');
    await h.waitForLines(2);
    assert.deepEqual(texts(h.lines), ['{"process_exec":{}}', '{"process_exit":{}}']);
    assert.equal(h.api.logRequests(ref('t1', 'tetragon', 'kube-system')).length, 0);
    assert.equal(h.api.logRequests(ref('t2', 'export-stdout', 'default')).length, 0);
    for (const request of [...h.api.listRequests(), ...h.api.watchRequests()]) {
      assert.equal(request.path, '/api/v1/namespaces/kube-system/pods');
    }
  } finally {
    await h.close();
  }
});

test(
  'a pod that appears later is read from its beginning; one that starts matching the selector too',
  OPTIONS,
  async () => {
    const h = await harness({}, (api) => api.addPod({ name: 'other', labels: { app: 'web' } }));
    try {
      await h.api.waitForWatchRequests(1);
      const pod = h.api.addPod({ name: 'late', labels: TETRAGON });
      h.api.appendLog(ref('late'), 'first', 'second');
      await h.waitForLines(2);
      assert.deepEqual(texts(h.lines), ['first', 'second']);
      assert.equal(h.api.logRequests(ref('late'))[0]?.query.sinceTime, undefined);
      assert.equal(pod.metadata.name, 'late');
      h.api.appendLog(ref('other'), 'web line');
      h.api.setLabels('default', 'other', TETRAGON);
      await h.waitForLines(3);
      assert.equal(h.lines[2]?.text, 'web line');
      assert.equal(h.lines[2].origin.pod, 'default/other');
    } finally {
      await h.close();
    }
  },
);

test('a deleted pod is dropped: its stream is closed and never reopened', OPTIONS, async () => {
  const h = await harness({}, (api) => {
    api.addPod({ name: 'doomed', labels: TETRAGON });
    api.addPod({ name: 'kept', labels: TETRAGON });
  });
  try {
    h.api.appendLog(ref('doomed'), 'before');
    h.api.appendLog(ref('kept'), 'kept 1');
    await h.waitForLines(2);
    h.api.deletePod('default', 'doomed');
    await h.waitUntil(() => h.source.followedContainers().length === 1);
    assert.deepEqual(h.source.followedContainers(), ['default/kept/main']);
    h.api.appendLog(ref('kept'), 'kept 2');
    await h.waitForLines(3);
    assert.equal(h.api.logRequests(ref('doomed')).length, 1);
    assert.ok(h.logCodes.includes('KUBE_LOGS_FOLLOW_STOPPED'));
    assert.deepEqual(texts(h.lines).sort(), ['before', 'kept 1', 'kept 2']);
  } finally {
    await h.close();
  }
});

test(
  'a stream cut mid-line resumes from the last timestamp: no line lost, none repeated',
  OPTIONS,
  async () => {
    const target = ref('tetragon-0');
    const h = await harness({}, (api) => api.addPod({ name: 'tetragon-0', labels: TETRAGON }));
    try {
      const [, second] = h.api.appendLog(target, 'line 1', 'line 2');
      await h.waitForLines(2);
      h.api.cutLogStreams(target, 'line 3, cut in the middle');
      await h.api.waitForLogRequests(target, 2);
      h.api.appendLog(target, 'line 4');
      await h.waitForLines(4);
      assert.deepEqual(texts(h.lines), ['line 1', 'line 2', 'line 3, cut in the middle', 'line 4']);
      assert.deepEqual(
        h.lines.map((line) => line.origin.line),
        [1, 2, 3, 4],
      );
      const resumed = h.api.logRequests(target)[1];
      assert.equal(resumed?.query.sinceTime, `${second?.time.slice(0, 19) ?? ''}Z`);
      assert.ok(h.source.telemetry().linesDropped.overlap >= 2, 'lines 1 and 2 came again and were dropped');
      assert.equal(h.source.telemetry().streamsBroken, 1);
      assert.deepEqual(h.delays, [1_000]);
    } finally {
      await h.close();
    }
  },
);

test('a stream that ends cleanly while the container runs is resumed too', OPTIONS, async () => {
  const target = ref('tetragon-0');
  const h = await harness({}, (api) => api.addPod({ name: 'tetragon-0', labels: TETRAGON }));
  try {
    h.api.appendLog(target, 'a');
    await h.waitForLines(1);
    h.api.endLogStreams(target);
    await h.api.waitForLogRequests(target, 2);
    h.api.appendLog(target, 'b');
    await h.waitForLines(2);
    assert.deepEqual(texts(h.lines), ['a', 'b']);
  } finally {
    await h.close();
  }
});

test('resuming compares nanoseconds exactly: equal timestamps and trimmed zeros', OPTIONS, async () => {
  const target = ref('tetragon-0');
  const h = await harness({}, (api) => api.addPod({ name: 'tetragon-0', labels: TETRAGON }));
  try {
    const held = h.holdDelays();
    h.api.appendLogEntries(target, [
      { time: '2026-11-28T04:00:00.9Z', text: 'before' },
      { time: '2026-11-28T04:00:01Z', text: 'whole second' },
      { time: '2026-11-28T04:00:01Z', text: 'same instant, first' },
    ]);
    await h.waitForLines(3);
    h.api.cutLogStreams(target);
    await h.waitUntil(() => h.delays.length === 1);
    // Written while the source is disconnected: only the replay can deliver them.
    h.api.appendLogEntries(target, [
      { time: '2026-11-28T04:00:01Z', text: 'same instant, second' },
      { time: '2026-11-28T04:00:01.1Z', text: 'a tenth later' },
      { time: '2026-11-28T04:00:01.100000001Z', text: 'a nanosecond later' },
    ]);
    held.release();
    await h.waitForLines(6);
    assert.deepEqual(texts(h.lines), [
      'before',
      'whole second',
      'same instant, first',
      'same instant, second',
      'a tenth later',
      'a nanosecond later',
    ]);
    assert.equal(h.api.logRequests(target)[1]?.query.sinceTime, '2026-11-28T04:00:01Z');
    assert.equal(h.source.telemetry().linesDropped.overlap, 2);
  } finally {
    await h.close();
  }
});

test('startAt end skips what was logged before start-up', OPTIONS, async () => {
  const target = ref('tetragon-0');
  const h = await harness({ startAt: 'end' }, (api) => {
    api.addPod({ name: 'tetragon-0', labels: TETRAGON });
    // A minute before start-up: the source's clock (ms) cannot tell apart lines of its own millisecond.
    const minuteAgo = new Date(Date.now() - 60_000).toISOString();
    api.appendLogEntries(target, [
      { time: minuteAgo, text: 'old 1' },
      { time: minuteAgo, text: 'old 2' },
    ]);
  });
  try {
    await h.api.waitForLogRequests(target, 1);
    h.api.appendLog(target, 'new');
    await h.waitForLines(1);
    assert.deepEqual(texts(h.lines), ['new']);
    const sinceTime = h.api.logRequests(target)[0]?.query.sinceTime ?? '';
    const oldTime = h.api.logEntries(target)[0]?.time ?? '';
    assert.ok(Date.parse(sinceTime) > Date.parse(oldTime), `sinceTime ${sinceTime} is after ${oldTime}`);
  } finally {
    await h.close();
  }
});

test('a container is followed once it runs, and lines without a timestamp are counted', OPTIONS, async () => {
  const target = ref('starting');
  const h = await harness({}, (api) => api.addPod({ name: 'starting', labels: TETRAGON, state: 'waiting' }));
  try {
    await h.api.waitForWatchRequests(1);
    assert.equal(h.api.logRequests(target).length, 0);
    h.api.setContainerState(target, 'running');
    h.api.appendLogEntries(target, [{ time: 'not-a-time', text: 'garbled' }]);
    h.api.appendLog(target, 'ok');
    await h.waitForLines(1);
    assert.deepEqual(texts(h.lines), ['ok']);
    assert.equal(h.source.telemetry().linesDropped['missing-timestamp'], 1);
    assert.ok(h.logCodes.includes('KUBE_LOGS_LINE_DROPPED'));
  } finally {
    await h.close();
  }
});

test('lines longer than maxLineBytes are dropped and counted', OPTIONS, async () => {
  const target = ref('tetragon-0');
  const h = await harness({ maxLineBytes: 64 }, (api) =>
    api.addPod({ name: 'tetragon-0', labels: TETRAGON }),
  );
  try {
    h.api.appendLog(target, 'x'.repeat(200), 'short');
    await h.waitForLines(1);
    assert.deepEqual(texts(h.lines), ['short']);
    assert.equal(h.source.telemetry().linesDropped['line-too-long'], 1);
    const counters = h.source.counters();
    assert.equal(counters.dropped['line-too-long'], 1);
    assert.equal(counters.linesRead, 1);
    const longLine = h.api.logEntries(target)[0];
    assert.ok(
      counters.bytesRead > (longLine?.text.length ?? Infinity),
      'the dropped line counts among the bytes read',
    );
  } finally {
    await h.close();
  }
});

test(
  'a watch that ends is renewed from the last resource version, without listing again',
  OPTIONS,
  async () => {
    const h = await harness({}, (api) => api.addPod({ name: 'first', labels: TETRAGON }));
    try {
      await h.api.waitForWatchRequests(1);
      h.api.addPod({ name: 'second', labels: TETRAGON });
      await h.waitUntil(() => h.source.followedContainers().length === 2);
      h.api.bookmark();
      h.api.endWatches();
      const watches = await h.api.waitForWatchRequests(2);
      assert.equal(h.api.listRequests().length, 1);
      assert.equal(
        watches[1]?.query.resourceVersion,
        h.api.pod('default', 'second')?.metadata.resourceVersion,
      );
      assert.equal(watches[1]?.query.allowWatchBookmarks, 'true');
      h.api.addPod({ name: 'third', labels: TETRAGON });
      await h.waitUntil(() => h.source.followedContainers().length === 3);
    } finally {
      await h.close();
    }
  },
);

test('a failing watch stops the informer, which is restarted with backoff', OPTIONS, async () => {
  const h = await harness({ restartInitialMs: 50, restartMaxMs: 400 }, (api) => {
    api.addPod({ name: 'first', labels: TETRAGON });
    api.failNext('watch', 500, 3);
  });
  try {
    await h.api.waitForWatchRequests(2);
    assert.equal(h.source.ready(), false, 'not ready while the watch fails');
    await h.api.waitForWatchRequests(4);
    h.api.addPod({ name: 'second', labels: TETRAGON });
    await h.waitUntil(() => h.source.followedContainers().length === 2);
    assert.equal(h.source.ready(), true, 'ready again once an event came');
    assert.deepEqual(h.delays.slice(0, 3), [50, 100, 200]);
    assert.equal(h.source.telemetry().informerRestarts, 3);
    assert.ok(h.logCodes.includes('KUBE_LOGS_INFORMER_ERROR'));
  } finally {
    await h.close();
  }
});

test('after 410 Gone the informer lists again, and pods deleted meanwhile are dropped', OPTIONS, async () => {
  const h = await harness({}, (api) => {
    api.addPod({ name: 'stays', labels: TETRAGON });
    api.addPod({ name: 'goes', labels: TETRAGON });
  });
  try {
    await h.waitUntil(() => h.source.followedContainers().length === 2);
    const held = h.holdDelays();
    h.api.failNext('watch', 500);
    h.api.endWatches();
    await h.waitUntil(() => h.delays.length === 1);
    // While the informer waits to restart: a deletion, then the history it would need is compacted.
    h.api.deletePod('default', 'goes');
    h.api.compact();
    held.release();
    await h.waitUntil(() => h.source.followedContainers().length === 1);
    assert.deepEqual(h.source.followedContainers(), ['default/stays/main']);
    assert.equal(h.api.listRequests().length, 2);
  } finally {
    await h.close();
  }
});

test('an unparsable watch line is counted and the watch goes on', OPTIONS, async () => {
  const h = await harness({}, (api) => api.addPod({ name: 'first', labels: TETRAGON }));
  try {
    await h.api.waitForWatchRequests(1);
    h.api.writeWatchGarbage();
    h.api.addPod({ name: 'second', labels: TETRAGON });
    await h.waitUntil(() => h.source.followedContainers().length === 2);
    assert.equal(h.source.telemetry().watchLinesUnparsable, 1);
    assert.ok(h.logCodes.includes('KUBE_LOGS_WATCH_LINE_UNPARSABLE'));
    assert.equal(h.api.watchRequests().length, 1);
  } finally {
    await h.close();
  }
});

test('stop closes every stream and the watch, and ends the batches', OPTIONS, async () => {
  const target = ref('tetragon-0');
  const h = await harness({}, (api) => api.addPod({ name: 'tetragon-0', labels: TETRAGON }));
  try {
    h.api.appendLog(target, 'one');
    await h.waitForLines(1);
    assert.equal(h.api.openLogStreams(target), 1);
    await h.source.stop();
    await h.waitUntil(() => h.api.openLogStreams(target) === 0 && h.api.openWatchCount() === 0);
    assert.deepEqual(h.source.followedContainers(), []);
  } finally {
    await h.close();
  }
});

test('build refuses a bad label selector and a kubeconfig without a usable cluster', () => {
  const logger = pino({ level: 'silent' });
  const refuses = (input: unknown, context: Omit<KubeLogsContext, 'logger'>, message: RegExp): void => {
    assert.throws(
      () => buildKubeLogsSource(input, { logger, ...context }),
      (error) => error instanceof SourceConfigError && message.test(error.message),
    );
  };
  refuses({ labelSelector: 'app in tetragon' }, {}, /label selector[\s\S]*at labelSelector/);
  refuses({ labelSelector: SELECTOR, unknownSetting: 1 }, {}, /unknownSetting/);
  refuses(
    { labelSelector: SELECTOR, kubeconfigPath: '/nonexistent/kubeconfig' },
    {},
    /kubeconfigPath.*ENOENT/,
  );
  refuses({ labelSelector: SELECTOR, restartInitialMs: 10, restartMaxMs: 5 }, {}, /restartMaxMs/);
  refuses({ labelSelector: SELECTOR }, { kubeConfig: new KubeConfig() }, /no current context/);
  const plainHttp = new KubeConfig();
  plainHttp.loadFromClusterAndUser(
    { name: 'c', server: 'http://127.0.0.1:8080', skipTLSVerify: false },
    { name: 'u' },
  );
  refuses({ labelSelector: SELECTOR }, { kubeConfig: plainHttp }, /plain HTTP/);
});

test('a kubeconfig file is read from kubeconfigPath', OPTIONS, async (t) => {
  const api = await FakeKubeApi.start();
  const dir = mkdtempSync(join(tmpdir(), 'kube-logs-'));
  t.after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await api.close();
  });
  api.addPod({ name: 'tetragon-0', labels: TETRAGON });
  api.appendLog(ref('tetragon-0'), 'from a file-configured client');
  const kubeconfigPath = await api.writeKubeconfigFile(join(dir, 'kubeconfig'));
  const source = buildKubeLogsSource(
    { labelSelector: SELECTOR, startAt: 'beginning', kubeconfigPath },
    { logger: pino({ level: 'silent' }) },
  );
  let first: readonly RawLine[] = [];
  for await (const batch of source.batches()) {
    first = batch;
    break;
  }
  await source.stop();
  assert.deepEqual(texts(first), ['from a file-configured client']);
  assert.equal(api.logRequests(ref('tetragon-0'))[0]?.authorization, 'Bearer fake-token');
});

test('a container that stops and runs again is read on from where it stopped', OPTIONS, async () => {
  const target = ref('tetragon-0');
  const h = await harness({}, (api) => api.addPod({ name: 'tetragon-0', labels: TETRAGON }));
  try {
    h.api.appendLog(target, 'before the restart');
    await h.waitForLines(1);
    h.api.setContainerState(target, 'terminated');
    await h.waitUntil(() => h.api.openLogStreams(target) === 0);
    h.api.setContainerState(target, 'running');
    h.api.appendLog(target, 'after the restart');
    await h.waitForLines(2);
    assert.deepEqual(texts(h.lines), ['before the restart', 'after the restart']);
    const requests = h.api.logRequests(target);
    assert.ok(requests.length >= 2);
    assert.ok(requests.slice(1).every((request) => request.query.sinceTime !== undefined));
  } finally {
    await h.close();
  }
});

test(
  'a pod recreated under the same name while the watch was down is followed anew, once',
  OPTIONS,
  async () => {
    const target = ref('tetragon-0');
    const h = await harness({}, (api) => api.addPod({ name: 'tetragon-0', labels: TETRAGON }));
    try {
      h.api.appendLog(target, 'old pod');
      await h.waitForLines(1);
      const held = h.holdDelays();
      h.api.failNext('watch', 500);
      h.api.endWatches();
      await h.waitUntil(() => h.delays.length === 1);
      h.api.deletePod('default', 'tetragon-0');
      h.api.addPod({ name: 'tetragon-0', labels: TETRAGON });
      h.api.appendLog(target, 'new pod');
      h.api.compact();
      held.release();
      // The new pod is not from the first list: it is read from its beginning, without sinceTime.
      await h.api.waitForRequests(
        (request) => request.path.endsWith('/log') && request.query.sinceTime === undefined,
        2,
      );
      assert.deepEqual(h.source.followedContainers(), ['default/tetragon-0/main']);
      h.api.appendLog(target, 'new pod, later');
      await h.waitUntil(() => texts(h.lines).includes('new pod, later'));
      assert.equal(texts(h.lines).filter((text) => text === 'new pod, later').length, 1);
      assert.equal(h.lines[0]?.text, 'old pod');
      assert.equal(h.api.openLogStreams(target), 1);
    } finally {
      await h.close();
    }
  },
);
