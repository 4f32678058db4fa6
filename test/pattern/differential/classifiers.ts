/**
 * Named classifiers: the only way a disagreement between our engine and the reference is accepted. Each is
 * tied to a deviation in deviations.ts / docs/conformance.md. A repairing classifier re-asks the reference
 * with an input rewritten so that the reference gives the specification's answer for its deviation, and
 * explains the disagreement only if that repaired answer equals ours.
 */
import type { GeneratedCase } from './generator.js';
import {
  comparisonsOf,
  qualifiersOf,
  type ObservationNode,
  type Qualifier,
  type Repairs,
} from './pattern-tree.js';
import type { ReferenceAnswer } from './reference-process.js';

/** Our engine's answer: a match result, a PatternSyntaxError, or any other exception (a crash: never explained). */
export type EngineAnswer =
  | { readonly matched: boolean }
  | { readonly error: string; readonly column: number; readonly token: string }
  | { readonly crash: string };

export interface Disagreement {
  readonly generated: GeneratedCase;
  readonly ours: EngineAnswer;
  readonly theirs: ReferenceAnswer;
  /** Asks the reference again, on the same case rendered with repairs. */
  readonly askRepaired: (repairs: Repairs) => Promise<ReferenceAnswer>;
}

interface RepairingClassifier {
  readonly ids: readonly string[];
  readonly applies: (generated: GeneratedCase) => boolean;
  readonly repairs: Repairs;
}

const hasOperator = (generated: GeneratedCase, operators: readonly string[]): boolean =>
  comparisonsOf(generated.tree).some((c) => c.kind === 'comparison' && operators.includes(c.operator));

const REPAIRS: readonly RepairingClassifier[] = [
  {
    ids: ['ref-within-inclusive'],
    applies: (g) => qualifiersOf(g.tree).some((q) => q.kind === 'WITHIN'),
    repairs: { withinExclusive: true },
  },
  { ids: ['ref-matches-no-dotall'], applies: (g) => hasOperator(g, ['MATCHES']), repairs: { dotAll: true } },
  { ids: ['ref-like-newline'], applies: (g) => hasOperator(g, ['LIKE']), repairs: { likeAsRegex: true } },
];

/** Whether our answer and the reference's are the same (a syntax error on both sides counts as the same). */
export function sameAnswer(ours: EngineAnswer, theirs: ReferenceAnswer): boolean {
  if ('matched' in ours) return 'matched' in theirs && theirs.matched === ours.matched;
  return 'error' in ours && 'error' in theirs && theirs.kind === 'syntax';
}

const CIDR_OPERATORS = ['ISSUBSET', 'ISSUPERSET'];

/** Deviations where the reference raises an error: our answer cannot be compared (the conformance suite pins it). */
function referenceFailure(disagreement: Disagreement): string | undefined {
  const { theirs, ours, generated } = disagreement;
  if (!('error' in theirs) || theirs.kind !== 'match' || !('matched' in ours)) return undefined;
  if (!hasOperator(generated, CIDR_OPERATORS)) return undefined;
  if (/Invalid IPv4 address: \S*:/.test(theirs.error)) return 'ref-no-ipv6-cidr';
  if (/Invalid CIDR subnet: [^/\s]*$/.test(theirs.error)) return 'ref-cidr-single-address';
  return undefined;
}

/** Whether a chain of qualifiers on one expression repeats a kind (`… REPEATS 2 TIMES REPEATS 3 TIMES`). */
function hasDuplicateQualifier(
  node: ObservationNode,
  chain: ReadonlySet<Qualifier['kind']> = new Set(),
): boolean {
  switch (node.kind) {
    case 'leaf':
      return false;
    case 'qualified':
      return (
        chain.has(node.qualifier.kind) ||
        hasDuplicateQualifier(node.expression, new Set([...chain, node.qualifier.kind]))
      );
    default:
      return hasDuplicateQualifier(node.left) || hasDuplicateQualifier(node.right);
  }
}

/**
 * The reference accepts two qualifiers of one kind (ref-accepts-duplicate-qualifier); we reject the pattern.
 * The generator never writes one, but shrinking can (dropping the operator between two qualifiers).
 */
function duplicateQualifier(disagreement: Disagreement): string | undefined {
  const { ours, theirs, generated } = disagreement;
  return 'error' in ours && 'matched' in theirs && hasDuplicateQualifier(generated.tree)
    ? 'ref-accepts-duplicate-qualifier'
    : undefined;
}

/** The deviations that explain a disagreement, or undefined when none does. */
export async function classify(disagreement: Disagreement): Promise<readonly string[] | undefined> {
  const { ours, generated } = disagreement;
  if ('crash' in ours) return undefined;
  const failure = referenceFailure(disagreement) ?? duplicateQualifier(disagreement);
  if (failure !== undefined) return [failure];
  const applicable = REPAIRS.filter((r) => r.applies(generated));
  for (const repair of applicable) {
    if (sameAnswer(ours, await disagreement.askRepaired(repair.repairs))) return repair.ids;
  }
  if (applicable.length > 1) {
    const all = Object.assign({}, ...applicable.map((r) => r.repairs)) as Repairs;
    if (sameAnswer(ours, await disagreement.askRepaired(all))) return applicable.flatMap((r) => r.ids);
  }
  return undefined;
}
