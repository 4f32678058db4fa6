/** A strict reader of the Prometheus text exposition format (0.0.4), for tests: throws on any bad line. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (NaN|[+-]Inf|-?[0-9.e+-]+)$/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/;
const COMMENT = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/;

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest !== '') {
    const match = LABEL.exec(rest);
    if (match === null) throw new Error(`Bad labels in: ${line}`);
    labels[match[1] ?? ''] = (match[2] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(match[0].length);
  }
  return labels;
}

/** Every sample; checks that each metric's TYPE comes before its samples and is counter or gauge. */
export function parseExposition(text: string): Sample[] {
  assertTrailingNewline(text);
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    const comment = COMMENT.exec(line);
    if (comment !== null) {
      if (comment[1] === 'TYPE') {
        if (!['counter', 'gauge'].includes(comment[3] ?? '')) throw new Error(`Bad type: ${line}`);
        types.set(comment[2] ?? '', comment[3] ?? '');
      }
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (sample === null) throw new Error(`Not an exposition line: ${JSON.stringify(line)}`);
    const name = sample[1] ?? '';
    if (!types.has(name)) throw new Error(`Sample before its TYPE: ${line}`);
    const valueText = sample[4] ?? '';
    const value = valueText === 'NaN' ? Number.NaN : valueText === '+Inf' ? Infinity : Number(valueText);
    if (valueText !== 'NaN' && Number.isNaN(value)) throw new Error(`Bad value: ${line}`);
    samples.push({ name, labels: parseLabels(sample[3] ?? '', line), value });
  }
  return samples;
}

function assertTrailingNewline(text: string): void {
  if (!text.endsWith('\n')) throw new Error('Exposition text must end with a newline.');
}

/** The value of the one sample with this name and these labels (others ignored); undefined when absent. */
export function sampleValue(
  samples: readonly Sample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  return samples.find(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  )?.value;
}
