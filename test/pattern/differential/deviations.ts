/**
 * Where stix2-matcher 3.0.0 (the reference) and our engine knowingly answer differently. Each entry is
 * described, with the specification text it rests on, in docs/conformance.md under the same id.
 * `reference` entries are the reference being wrong about the specification; `choice` entries are
 * deliberate choices of our engine.
 */
export interface Deviation {
  readonly id: string;
  readonly kind: 'reference' | 'choice';
  /** One line: what differs. */
  readonly summary: string;
}

export const DEVIATIONS: readonly Deviation[] = [
  {
    id: 'ref-no-ipv6-cidr',
    kind: 'reference',
    summary: 'ISSUBSET/ISSUPERSET handle IPv4 only; IPv6 raises an error.',
  },
  {
    id: 'ref-cidr-single-address',
    kind: 'reference',
    summary: 'The subnet side of ISSUBSET/ISSUPERSET must be CIDR; a plain address raises an error.',
  },
  { id: 'ref-cidr-prefix-zero', kind: 'reference', summary: 'A /0 prefix raises an error.' },
  {
    id: 'ref-cidr-non-address',
    kind: 'reference',
    summary: 'ISSUBSET/ISSUPERSET on a string that is not an address raises an error instead of being false.',
  },
  {
    id: 'ref-within-inclusive',
    kind: 'reference',
    summary: 'WITHIN accepts observations exactly the window apart.',
  },
  {
    id: 'ref-matches-no-dotall',
    kind: 'reference',
    summary: 'MATCHES runs without DOTALL: `.` does not match a line feed.',
  },
  {
    id: 'ref-like-newline',
    kind: 'reference',
    summary: 'LIKE wildcards do not match a line feed, and a trailing line feed is ignored.',
  },
  { id: 'ref-not-exists-ignored', kind: 'reference', summary: 'NOT EXISTS is evaluated as EXISTS.' },
  { id: 'ref-exists-in-boolean', kind: 'reference', summary: 'EXISTS joined by AND raises a TypeError.' },
  {
    id: 'ref-not-order-incompatible',
    kind: 'reference',
    summary: 'NOT before an ordering operator on incompatible types stays false.',
  },
  {
    id: 'ref-bool-int-set-membership',
    kind: 'reference',
    summary: 'IN treats true/false as 1/0 (Python set membership).',
  },
  {
    id: 'ref-accepts-duplicate-qualifier',
    kind: 'reference',
    summary: 'Two qualifiers of one type are accepted.',
  },
  {
    id: 'ref-empty-observations',
    kind: 'reference',
    summary: 'An empty list of observations raises an error (2.1).',
  },
  {
    id: 'ref-v20-start-stop',
    kind: 'reference',
    summary: "In 2.0 mode START/STOP always fails (parser wants t'…', matcher wants a string).",
  },
  {
    id: 'ref-timestamp-against-string',
    kind: 'reference',
    summary: 'A timestamp constant against a string that is not a timestamp raises an error.',
  },
  {
    id: 'ref-in-binary-string',
    kind: 'reference',
    summary:
      'IN compares binary values with string constants (and strings with binary constants) as unequal.',
  },
  {
    id: 'choice-linear-regex',
    kind: 'choice',
    summary: 'MATCHES rejects backreferences and lookaround when the pattern is compiled.',
  },
];

export function findDeviation(id: string): Deviation | undefined {
  return DEVIATIONS.find((deviation) => deviation.id === id);
}
