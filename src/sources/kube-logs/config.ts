import { z } from 'zod';
import { DEFAULT_MAX_LINE_BYTES } from '../lines.js';

/** One term of a label selector: `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`. */
const LABEL_KEY = String.raw`(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?`;
const LABEL_VALUE = String.raw`(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?`;
const SELECTOR_TERM = new RegExp(
  String.raw`^(?:!?${LABEL_KEY}|${LABEL_KEY}\s*(?:==?|!=)\s*${LABEL_VALUE}|${LABEL_KEY}\s+(?:in|notin)\s+\(\s*${LABEL_VALUE}(?:\s*,\s*${LABEL_VALUE})*\s*\))$`,
);

/** Splits a selector at the commas outside parentheses. */
function selectorTerms(selector: string): string[] {
  return selector.split(/,(?![^(]*\))/).map((term) => term.trim());
}

/** Whether `selector` is a Kubernetes label selector the API server will accept (the common syntax). */
export function isLabelSelector(selector: string): boolean {
  return selectorTerms(selector).every((term) => SELECTOR_TERM.test(term));
}

export const KubeLogsConfigSchema = z.strictObject({
  id: z.string().min(1).default('kube-logs').describe('Source id, reported as the origin of every line.'),
  labelSelector: z
    .string()
    .refine(isLabelSelector, {
      error: 'Expected a label selector such as app.kubernetes.io/name=tetragon.',
    })
    .describe('Label selector of the pods whose logs are read, e.g. app.kubernetes.io/name=tetragon.'),
  namespace: z
    .string()
    .min(1)
    .optional()
    .describe('Only pods in this namespace; every namespace when absent.'),
  container: z
    .string()
    .min(1)
    .optional()
    .describe('Only this container of each pod (e.g. export-stdout); every container when absent.'),
  kubeconfigPath: z
    .string()
    .min(1)
    .optional()
    .describe('Kubeconfig file; when absent: in-cluster credentials in a pod, else the default kubeconfig.'),
  startAt: z
    .enum(['beginning', 'end'])
    .default('end')
    .describe(
      'Where to start in the logs of pods found at start-up; pods that appear later are read from their beginning.',
    ),
  maxLineBytes: z
    .number()
    .int()
    .positive()
    .default(DEFAULT_MAX_LINE_BYTES)
    .describe('Longest log line kept, in bytes; longer lines are counted and dropped.'),
  maxBufferedLines: z
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('Lines held for the pipeline before the log streams are paused.'),
  maxBatchLines: z
    .number()
    .int()
    .positive()
    .default(500)
    .describe('Most lines in one batch handed to the pipeline.'),
  watchTimeoutSecs: z
    .number()
    .int()
    .positive()
    .default(300)
    .describe('Server-side timeout of each pod watch, in seconds; the watch is then renewed.'),
  restartInitialMs: z
    .number()
    .int()
    .positive()
    .default(1_000)
    .describe('First delay before restarting the pod informer or reopening a log stream, in milliseconds.'),
  restartMaxMs: z
    .number()
    .int()
    .positive()
    .default(30_000)
    .describe('Longest delay between restarts, in milliseconds (the delay doubles up to it).'),
});

/** The settings as written (defaults optional). */
export type KubeLogsConfigInput = z.input<typeof KubeLogsConfigSchema>;
/** The settings after validation, defaults filled in. */
export type KubeLogsConfig = z.output<typeof KubeLogsConfigSchema>;

/** The usual target: Tetragon's JSON events on the stdout of its `export-stdout` container. */
export const TETRAGON_EXPORT_STDOUT = {
  labelSelector: 'app.kubernetes.io/name=tetragon',
  container: 'export-stdout',
} as const satisfies KubeLogsConfigInput;
