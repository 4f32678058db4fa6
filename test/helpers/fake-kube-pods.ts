/**
 * The fake Kubernetes API's pods: their JSON as the API server sends it, container states and phases, and
 * the label selectors list and watch requests filter them by.
 */

export type ContainerState = 'waiting' | 'running' | 'terminated';

export interface FakePodInit {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Container names (default `['main']`). */
  readonly containers?: readonly string[];
  /** State of every container at creation (default `running`). */
  readonly state?: ContainerState;
}

/** A pod as JSON, the way the API server sends it. */
export interface PodJson {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    labels: Record<string, string>;
    creationTimestamp: string;
  };
  spec: { containers: { name: string; image: string }[] };
  status: {
    phase: string;
    containerStatuses: { name: string; ready: boolean; restartCount: number; state: object }[];
  };
}

export function podKey(pod: PodJson): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

export function containerStatus(
  name: string,
  state: ContainerState,
): PodJson['status']['containerStatuses'][number] {
  const now = new Date().toISOString();
  const states: Record<ContainerState, object> = {
    waiting: { waiting: { reason: 'ContainerCreating' } },
    running: { running: { startedAt: now } },
    terminated: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: now } },
  };
  return { name, ready: state === 'running', restartCount: 0, state: states[state] };
}

export function podPhase(pod: PodJson): string {
  const states = pod.status.containerStatuses.map((status) => status.state);
  if (states.every((state) => 'terminated' in state)) return 'Succeeded';
  if (states.some((state) => 'running' in state)) return 'Running';
  return 'Pending';
}

export function visible(pod: PodJson, namespace: string | undefined, selector: Selector): boolean {
  return (
    (namespace === undefined || pod.metadata.namespace === namespace) &&
    matchesSelector(selector, pod.metadata.labels)
  );
}

// ── label selectors ─────────────────────────────────────────────────────────

/** One requirement of a label selector. */
interface Requirement {
  readonly key: string;
  readonly operator: 'exists' | 'absent' | 'in' | 'notin';
  readonly values: readonly string[];
}
export type Selector = readonly Requirement[];

/** Parses the label selector syntax the API server accepts (equality and set-based). */
export function parseSelector(text: string): Selector {
  const terms = text
    .split(/,(?![^(]*\))/)
    .map((term) => term.trim())
    .filter((term) => term !== '');
  return terms.map((term): Requirement => {
    const set = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
    if (set?.[1] !== undefined && set[3] !== undefined) {
      const operator = set[2] === 'in' ? 'in' : 'notin';
      return { key: set[1], operator, values: set[3].split(',').map((value) => value.trim()) };
    }
    const equality = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (equality?.[1] !== undefined) {
      return {
        key: equality[1],
        operator: equality[2] === '!=' ? 'notin' : 'in',
        values: [equality[3] ?? ''],
      };
    }
    if (term.startsWith('!')) return { key: term.slice(1), operator: 'absent', values: [] };
    return { key: term, operator: 'exists', values: [] };
  });
}

function matchesSelector(selector: Selector, labels: Readonly<Record<string, string>>): boolean {
  return selector.every(({ key, operator, values }) => {
    const value = labels[key];
    if (operator === 'exists') return value !== undefined;
    if (operator === 'absent') return value === undefined;
    if (operator === 'in') return value !== undefined && values.includes(value);
    return value === undefined || !values.includes(value);
  });
}
