/** Shrinks a disagreeing case to a smaller one that still disagrees, for the failure message. */
import type { GeneratedCase } from './generator.js';
import type { ObservedModel } from './observation-model.js';
import type { ComparisonNode, ObservationNode } from './pattern-tree.js';

function comparisonSimplifications(node: ComparisonNode): ComparisonNode[] {
  if (node.kind === 'comparison') return [];
  return [
    node.left,
    node.right,
    ...comparisonSimplifications(node.left).map((left) => ({ ...node, left })),
    ...comparisonSimplifications(node.right).map((right) => ({ ...node, right })),
  ];
}

/** Every tree one simplification away: a binary node replaced by a side, a qualifier dropped, and so on. */
export function treeSimplifications(node: ObservationNode): ObservationNode[] {
  switch (node.kind) {
    case 'leaf':
      return comparisonSimplifications(node.comparison).map((comparison) => ({ kind: 'leaf', comparison }));
    case 'qualified':
      return [
        node.expression,
        ...treeSimplifications(node.expression).map((expression) => ({ ...node, expression })),
      ];
    default:
      return [
        node.left,
        node.right,
        ...treeSimplifications(node.left).map((left) => ({ ...node, left })),
        ...treeSimplifications(node.right).map((right) => ({ ...node, right })),
      ];
  }
}

function observedSimplifications(observed: readonly ObservedModel[]): ObservedModel[][] {
  const candidates: ObservedModel[][] = [];
  observed.forEach((model, i) => {
    const replace = (replacement: ObservedModel | undefined): ObservedModel[] =>
      replacement === undefined
        ? observed.filter((_, j) => j !== i)
        : observed.map((m, j) => (j === i ? replacement : m));
    candidates.push(replace(undefined));
    model.objects.forEach((_, k) =>
      candidates.push(replace({ ...model, objects: model.objects.filter((__, j) => j !== k) })),
    );
    if (model.count > 1) candidates.push(replace({ ...model, count: 1 }));
    if (model.last !== model.first) candidates.push(replace({ ...model, last: model.first }));
  });
  return candidates;
}

/** Greedily applies simplifications while `stillFails` holds, within a budget of checks. */
export async function shrink(
  generated: GeneratedCase,
  stillFails: (candidate: GeneratedCase) => Promise<boolean>,
  budget = 400,
): Promise<GeneratedCase> {
  let current = generated;
  let checks = 0;
  for (let improved = true; improved && checks < budget;) {
    improved = false;
    const candidates: GeneratedCase[] = [
      ...treeSimplifications(current.tree).map((tree) => ({ ...current, tree })),
      ...observedSimplifications(current.observed).map((observed) => ({ ...current, observed })),
    ];
    for (const candidate of candidates) {
      checks += 1;
      if (checks > budget) break;
      if (await stillFails(candidate)) {
        current = candidate;
        improved = true;
        break;
      }
    }
  }
  return current;
}
