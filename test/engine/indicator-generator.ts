/**
 * Realistic indicator sets for the index tests and the benchmark: patterns built from the properties and
 * values that real observations carry (process names, binaries, paths, IPs, ports, pod names), most of them
 * about values the traffic never shows, as in a threat database, with a share of multi-observation patterns.
 */
import type { Observation } from '../../src/contracts.js';
import type { IndicatorSource } from '../../src/engine/index.js';
import { pick } from './random.js';

/** Values seen per `type:path` (the path as the pattern writes it), with how many times each was seen. */
export type Vocabulary = Map<string, Map<string | number, number>>;

const MAX_VALUES_PER_PATH = 200;
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;

function pathComponent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/i.test(name) ? name : `'${name}'`;
}

function note(vocabulary: Vocabulary, path: string, value: unknown): void {
  if (typeof value !== 'string' && typeof value !== 'number') return;
  if (typeof value === 'string' && (value.length === 0 || value.length > 120)) return;
  let values = vocabulary.get(path);
  if (values === undefined) {
    values = new Map();
    vocabulary.set(path, values);
  }
  const count = values.get(value);
  if (count !== undefined) values.set(value, count + 1);
  else if (values.size < MAX_VALUES_PER_PATH) values.set(value, 1);
}

function noteObject(
  vocabulary: Vocabulary,
  prefix: string,
  object: Record<string, unknown>,
  depth: number,
): void {
  for (const [key, value] of Object.entries(object)) {
    if (key === 'id' || key === 'type' || key === 'spec_version') continue;
    const path = `${prefix}.${pathComponent(key)}`;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && depth > 0) {
      noteObject(vocabulary, path, value as Record<string, unknown>, depth - 1);
    } else {
      note(vocabulary, path, value);
    }
  }
}

/** Collects the vocabulary of some observations: every scalar property, extension properties, one reference deep. */
export function collectVocabulary(observations: readonly Observation[]): Vocabulary {
  const vocabulary: Vocabulary = new Map();
  for (const observation of observations) {
    for (const object of observation.objects.values()) {
      const type = object.type;
      noteObject(vocabulary, `${type}:`, object, 2);
      for (const [key, reference] of Object.entries(object)) {
        if (!key.endsWith('_ref') || typeof reference !== 'string') continue;
        const target = observation.objects.get(reference);
        if (target !== undefined) noteObject(vocabulary, `${type}:${key}`, target, 0);
      }
    }
  }
  // `type:.name` → `type:name`
  return new Map([...vocabulary].map(([path, values]) => [path.replace(':.', ':'), values]));
}

export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function literal(value: string | number): string {
  return typeof value === 'number' ? String(value) : quote(value);
}

export interface GeneratorOptions {
  /** Share of indicators about values the traffic actually shows (default 0.05). */
  readonly hitRate?: number;
  /** Share of multi-observation patterns (default 0.1). */
  readonly multiRate?: number;
  /** Also produce comparisons the index cannot use (NOT, !=, <, MATCHES, EXISTS, OR across types). */
  readonly unindexable?: boolean;
  /**
   * Share of comparison expressions that are unindexable when `unindexable` is set (default 0.2). Most of
   * them hold for nearly every event, so a large set with the default share matches nearly everything.
   */
  readonly unindexableRate?: number;
}

export class IndicatorGenerator {
  private readonly paths: string[];
  private readonly stringPaths: string[];

  constructor(
    private readonly vocabulary: Vocabulary,
    private readonly random: () => number,
    private readonly options: GeneratorOptions = {},
  ) {
    this.paths = [...vocabulary.keys()];
    this.stringPaths = this.paths.filter((p) =>
      [...(vocabulary.get(p)?.keys() ?? [])].some((v) => typeof v === 'string'),
    );
  }

  indicators(count: number): IndicatorSource[] {
    return Array.from({ length: count }, (_, i) => ({
      id: `indicator--${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
      name: `generated ${i}`,
      pattern: this.pattern(),
      pattern_type: 'stix',
      valid_from: '2020-01-01T00:00:00Z',
    }));
  }

  pattern(): string {
    if (this.random() >= (this.options.multiRate ?? 0.1)) return `[${this.comparisonExpression()}]`;
    const seconds = 10 + Math.floor(this.random() * 290);
    if (this.random() < 0.5) {
      return `([${this.comparisonExpression()}] FOLLOWEDBY [${this.comparisonExpression()}]) WITHIN ${seconds} SECONDS`;
    }
    return `[${this.comparisonExpression()}] REPEATS ${2 + Math.floor(this.random() * 4)} TIMES WITHIN ${seconds} SECONDS`;
  }

  private comparisonExpression(): string {
    const roll = this.random();
    if (this.options.unindexable === true && roll < (this.options.unindexableRate ?? 0.2))
      return this.unindexable();
    if (roll < 0.85) return this.comparison(pick(this.random, this.paths));
    const path = pick(this.random, this.paths);
    const type = path.slice(0, path.indexOf(':'));
    const sameType = this.paths.filter((p) => p.startsWith(`${type}:`));
    const joiner = this.random() < 0.7 ? 'AND' : 'OR';
    return `${this.comparison(path)} ${joiner} ${this.comparison(pick(this.random, sameType))}`;
  }

  private value(path: string): string | number {
    const counts = this.vocabulary.get(path) ?? new Map<string | number, number>([['', 1]]);
    const values = [...counts.keys()];
    const seen = pick(this.random, values);
    if (this.random() < (this.options.hitRate ?? 0.05)) {
      // An indicator names something rare, not a value most events carry (user_id '0', cwd '/').
      const rare = values.filter((v) => (counts.get(v) ?? 0) <= 3);
      if (rare.length > 0) return pick(this.random, rare);
    }
    const n = Math.floor(this.random() * 1e6);
    if (typeof seen === 'number') return seen + 1 + n;
    // Foreign at both ends, so LIKE prefixes and suffixes cut from it stay foreign too.
    return IPV4.test(seen) ? `198.18.${n % 256}.${(n >> 8) % 256}` : `q${n}/${seen}/q${n}`;
  }

  private comparison(path: string): string {
    const value = this.value(path);
    const roll = this.random();
    if (typeof value === 'number' || roll < 0.5) return `${path} = ${literal(value)}`;
    if (roll < 0.7)
      return `${path} IN (${[value, this.value(path), this.value(path)].map(literal).join(', ')})`;
    // Threat intelligence names hosts and small ranges; a /16 would cover a whole pod network.
    if (IPV4.test(value)) return `${path} ISSUBSET '${value}/${pick(this.random, [30, 32])}'`;
    // LIKE has no escape: a `%` or `_` in the value becomes a wildcard, which only widens the pattern.
    const cut = Math.max(1, Math.min(value.length - 3, Math.floor((value.length * 3) / 4)));
    return this.random() < 0.5
      ? `${path} LIKE ${quote(`${value.slice(0, cut)}%`)}`
      : `${path} LIKE ${quote(`%${value.slice(cut)}`)}`;
  }

  private unindexable(): string {
    const path = pick(this.random, this.stringPaths.length > 0 ? this.stringPaths : this.paths);
    const value = this.value(path);
    const text = String(value);
    switch (Math.floor(this.random() * 6)) {
      case 0:
        return `${path} NOT = ${literal(value)}`;
      case 1:
        return `${path} != ${literal(value)}`;
      case 2:
        return `${path} MATCHES ${quote(`^${text.slice(0, 3).replace(/[^a-z0-9]/gi, '.')}`)}`;
      case 3:
        return `EXISTS ${path}`;
      case 4:
        return `${path} > ${literal(value)}`;
      default: {
        const other = pick(this.random, this.paths);
        return `${this.comparison(path)} OR ${this.comparison(other)}`;
      }
    }
  }
}
