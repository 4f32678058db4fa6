/**
 * A tiny metrics registry: counters and gauges with labels, rendered in the Prometheus text exposition
 * format (version 0.0.4). Values mirrored from elsewhere (a source's own counters) are set just before
 * rendering by collect callbacks, so nothing is counted twice.
 */

export type MetricType = 'counter' | 'gauge';
export type Labels = Readonly<Record<string, string>>;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** One metric and its series, one per combination of label values. */
export class Metric {
  private readonly series = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly type: MetricType,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {
    if (!METRIC_NAME.test(name)) throw new Error(`Invalid metric name '${name}'.`);
    for (const label of labelNames) {
      if (!LABEL_NAME.test(label)) throw new Error(`Invalid label name '${label}' of metric ${name}.`);
    }
  }

  inc(labels: Labels = {}, by = 1): void {
    const entry = this.entry(labels);
    entry.value += by;
  }

  set(labels: Labels, value: number): void {
    this.entry(labels).value = value;
  }

  get(labels: Labels = {}): number {
    return this.series.get(this.key(labels))?.value ?? 0;
  }

  /** Forgets every series (for gauges rebuilt at each collection, e.g. per current indicator). */
  clear(): void {
    this.series.clear();
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, value } of this.series.values()) {
      const pairs = this.labelNames.map((label) => `${label}="${escapeLabelValue(labels[label] ?? '')}"`);
      const suffix = pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
      lines.push(`${this.name}${suffix} ${formatValue(value)}`);
    }
    return `${lines.join('\n')}\n`;
  }

  private key(labels: Labels): string {
    return this.labelNames.map((label) => labels[label] ?? '').join('\u0000');
  }

  private entry(labels: Labels): { labels: Labels; value: number } {
    const key = this.key(labels);
    let entry = this.series.get(key);
    if (entry === undefined) {
      for (const name of Object.keys(labels)) {
        if (!this.labelNames.includes(name)) throw new Error(`Metric ${this.name} has no label '${name}'.`);
      }
      entry = { labels: { ...labels }, value: 0 };
      this.series.set(key, entry);
    }
    return entry;
  }
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();
  private readonly collectors: (() => void)[] = [];

  counter(name: string, help: string, labelNames: readonly string[] = []): Metric {
    return this.add(new Metric(name, 'counter', help, labelNames));
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Metric {
    return this.add(new Metric(name, 'gauge', help, labelNames));
  }

  /** Runs before every rendering, to copy values kept elsewhere into metrics. */
  onCollect(collect: () => void): void {
    this.collectors.push(collect);
  }

  /** The exposition text: every metric, HELP and TYPE first, series after. */
  render(): string {
    for (const collect of this.collectors) collect();
    return [...this.metrics.values()].map((metric) => metric.render()).join('');
  }

  private add(metric: Metric): Metric {
    if (this.metrics.has(metric.name)) throw new Error(`Metric ${metric.name} is registered twice.`);
    this.metrics.set(metric.name, metric);
    return metric;
  }
}

/** The content type of the text exposition format. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
