/**
 * Observation expressions over a batch of observations: the semantics the reference matcher defines and the
 * streaming engine is tested against (STIX 2.1 Part 9, observation expressions and qualifiers).
 *
 * Matching means finding a binding: observations assigned to the `[ … ]` leaves so that every operator and
 * qualifier holds. An observed-data with `number_observed` n stands for n observations with its time interval,
 * so a binding is a multiset of observed-data (how many of each one's n observations it uses):
 * - `A OR B`: a binding of A or one of B;
 * - `A AND B`: a binding of each, together using no observation twice (distinct observations, which may be the
 *   same observed-data when its number_observed allows);
 * - `A FOLLOWEDBY B`: as AND, and some choice of times lets all of A come no later than all of B: the latest
 *   `first_observed` in A is at most the earliest `last_observed` in B;
 * - `REPEATS n TIMES`: n bindings of the expression, pairwise distinct in their observations;
 * - `WITHIN s SECONDS`: some choice of instants puts them all less than s seconds apart (the latest
 *   first_observed is less than s after the earliest last_observed). STIX 2.1 §9.5.1: the most recent timestamp
 *   "MUST NOT be equal to or later than" the earliest plus the window. Deviation: the reference accepts exactly
 *   s apart (its interval overlap counts touching ends);
 * - `START t1 STOP t2`: every observation's interval meets [t1, t2): first_observed < t2 and last_observed ≥ t1.
 * Bindings that use the same observations the same number of times are interchangeable, so each operator keeps
 * one of each (the reference enumerates every instance permutation). Worst-case cost still grows with
 * REPEATS counts and nesting: this is the batch oracle, for tests and small batches, not the streaming path.
 */
import type { ObservationExpression, Qualifier } from './ast.js';
import type { TimedObservation } from './observation-input.js';
import type { ObservationView } from './observations.js';
import { addSeconds, compareTimestamps, parseTimestamp, type Timestamp } from './values/timestamp.js';
import { SearchLimitError } from './errors.js';
import { ConstantError } from './operators.js';

/**
 * What a search may still try, by its batch (each search reads its input into a batch of its own): every
 * observation tested against a leaf and every combination of two bindings is a step.
 */
const budgets = new WeakMap<readonly TimedObservation[], { readonly maxSteps: number; left: number }>();

function step(batch: readonly TimedObservation[]): void {
  const budget = budgets.get(batch);
  if (budget === undefined) return;
  budget.left -= 1;
  if (budget.left < 0) throw new SearchLimitError(budget.maxSteps);
}

/** How many observations of each observed-data (by index in the batch) a binding uses. */
interface Binding {
  readonly counts: ReadonlyMap<number, number>;
  readonly key: string;
}

/** Bindings asked to use one observation: the `[ … ]` at position `leaf` (left to right) takes it. */
interface Anchor {
  readonly leaf: number;
  readonly index: number;
}

/** The bindings of an expression; with an anchor, only those in which its leaf takes the anchored observation. */
type Evaluate = (batch: readonly TimedObservation[], anchor?: Anchor) => Iterable<Binding>;

/** A compiled expression, with the positions of its leaves (`first` to `end`, exclusive). */
interface Node {
  readonly evaluate: Evaluate;
  readonly first: number;
  readonly end: number;
  /** REPEATS lies at or below it: an anchor cannot be pushed down there (one copy takes it, not all). */
  readonly repeats: boolean;
}

/**
 * A condition from an enclosing WITHIN or START/STOP. Both are closed under subsets (removing observations
 * from a binding never breaks them), so a partial binding that fails one can be dropped at once: nothing built
 * from it could pass. Checking them low in the tree keeps the search from enumerating hopeless combinations.
 */
type Constraint = (batch: readonly TimedObservation[], binding: Binding) => boolean;

type CompileLeaf = (
  leaf: ObservationExpression & { kind: 'observation' },
) => (view: ObservationView) => boolean;

/** Compiles an observation expression whose leaves have been compiled into observation predicates. */
export function compileObservationExpression(
  expression: ObservationExpression,
  compileLeaf: CompileLeaf,
): (batch: readonly TimedObservation[]) => boolean {
  const { evaluate } = compileNode(expression, compileLeaf, [], { next: 0 });
  return (batch) => {
    for (const _binding of evaluate(batch)) return true;
    return false;
  };
}

/**
 * Compiles an observation expression into an enumeration of its distinct bindings over a batch: each is the
 * set of batch indexes (observed-data) it uses. For engines that need to know which observations take part in
 * a match, not only whether there is one. The number of bindings can grow combinatorially: stop early.
 */
export function compileObservationBindings(
  expression: ObservationExpression,
  compileLeaf: CompileLeaf,
): (
  batch: readonly TimedObservation[],
  through?: number,
  maxSteps?: number,
) => Iterable<ReadonlySet<number>> {
  const root = compileNode(expression, compileLeaf, [], { next: 0 });
  return function* bindings(batch, through, maxSteps) {
    if (maxSteps !== undefined) budgets.set(batch, { maxSteps, left: maxSteps });
    if (through === undefined || root.repeats) {
      for (const binding of root.evaluate(batch)) {
        if (through === undefined || binding.counts.has(through)) yield new Set(binding.counts.keys());
      }
      return;
    }
    // A binding that uses the observation gives it to some leaf: each leaf in turn takes it, so the other
    // leaves are only joined with it, never enumerated among themselves alone.
    const seen = new Set<string>();
    for (let leaf = root.first; leaf < root.end; leaf += 1) {
      for (const binding of root.evaluate(batch, { leaf, index: through })) {
        if (seen.has(binding.key)) continue;
        seen.add(binding.key);
        yield new Set(binding.counts.keys());
      }
    }
  };
}

function contains(node: Node, anchor: Anchor | undefined): Anchor | undefined {
  return anchor !== undefined && anchor.leaf >= node.first && anchor.leaf < node.end ? anchor : undefined;
}

function compileNode(
  expression: ObservationExpression,
  compileLeaf: CompileLeaf,
  constraints: readonly Constraint[],
  leaves: { next: number },
): Node {
  switch (expression.kind) {
    case 'observation': {
      const test = compileLeaf(expression);
      const first = leaves.next;
      leaves.next += 1;
      return {
        evaluate: (batch, anchor) => leafBindings(batch, test, constraints, anchor?.index),
        first,
        end: leaves.next,
        repeats: false,
      };
    }
    case 'observation-binary': {
      const left = compileNode(expression.left, compileLeaf, constraints, leaves);
      const right = compileNode(expression.right, compileLeaf, constraints, leaves);
      const node = { first: left.first, end: right.end, repeats: left.repeats || right.repeats };
      if (expression.operator === 'OR') {
        return {
          ...node,
          // Anchored, only the side that holds the anchored leaf can give a binding that uses it.
          evaluate: (batch, anchor) =>
            anchor === undefined
              ? distinct(concat(left.evaluate(batch), right.evaluate(batch)))
              : (contains(left, anchor) === undefined ? right : left).evaluate(batch, anchor),
        };
      }
      const ordered = expression.operator === 'FOLLOWEDBY';
      return {
        ...node,
        evaluate: (batch, anchor) =>
          distinct(
            join(
              batch,
              left.evaluate(batch, contains(left, anchor)),
              new Cached(right.evaluate(batch, contains(right, anchor))),
              ordered,
              constraints,
            ),
          ),
      };
    }
    case 'observation-qualified':
      return compileQualified(expression.qualifier, expression.expression, compileLeaf, constraints, leaves);
  }
}

function compileQualified(
  qualifier: Qualifier,
  expression: ObservationExpression,
  compileLeaf: CompileLeaf,
  constraints: readonly Constraint[],
  leaves: { next: number },
): Node {
  switch (qualifier.kind) {
    case 'repeats': {
      const times = qualifier.times;
      const inner = compileNode(expression, compileLeaf, constraints, leaves);
      return {
        first: inner.first,
        end: inner.end,
        repeats: true,
        evaluate: (batch) => distinct(repeats(batch, [...inner.evaluate(batch)], times, constraints)),
      };
    }
    case 'within': {
      const seconds = qualifier.seconds;
      const within: Constraint = (batch, binding) => withinSeconds(batch, binding, seconds);
      return compileNode(expression, compileLeaf, [...constraints, within], leaves);
    }
    case 'start-stop': {
      const start = parseTimestamp(qualifier.startTime.value);
      const stop = parseTimestamp(qualifier.stopTime.value);
      if (start === undefined) throw new ConstantError('invalid START timestamp', qualifier.startTime);
      if (stop === undefined) throw new ConstantError('invalid STOP timestamp', qualifier.stopTime);
      // START inclusive, STOP exclusive: an empty or inverted window admits nothing.
      if (compareTimestamps(start, stop) >= 0) {
        // Nothing is admitted, but the leaves keep their positions.
        const inner = compileNode(expression, compileLeaf, constraints, leaves);
        return { ...inner, evaluate: () => [] };
      }
      const window: Constraint = (batch, binding) => inWindow(batch, binding, start, stop);
      return compileNode(expression, compileLeaf, [...constraints, window], leaves);
    }
  }
}

function admits(
  batch: readonly TimedObservation[],
  binding: Binding,
  constraints: readonly Constraint[],
): boolean {
  return constraints.every((constraint) => constraint(batch, binding));
}

/** The observations that satisfy a leaf, each a binding; only `anchor` when one is given. */
function* leafBindings(
  batch: readonly TimedObservation[],
  test: (view: ObservationView) => boolean,
  constraints: readonly Constraint[],
  anchor: number | undefined,
): Iterable<Binding> {
  const candidates = anchor === undefined ? batch.entries() : [[anchor, batch[anchor]] as const];
  for (const [index, observation] of candidates) {
    step(batch);
    if (observation === undefined || !test(observation.view)) continue;
    const binding = { counts: new Map([[index, 1]]), key: `${index}*1` };
    if (admits(batch, binding, constraints)) yield binding;
  }
}

function* join(
  batch: readonly TimedObservation[],
  left: Iterable<Binding>,
  right: Cached,
  ordered: boolean,
  constraints: readonly Constraint[],
): Iterable<Binding> {
  // No binding on the right: none on the left can join, so the left is not enumerated at all (it may hold
  // every pair of a long batch, while the right, the last step of an attack, has not come).
  if (right.isEmpty()) return;
  if (ordered) {
    yield* orderedJoin(batch, left, right, constraints);
    return;
  }
  for (const l of left) {
    for (const r of right) {
      const both = union(batch, l, r);
      if (both !== undefined && admits(batch, both, constraints)) yield both;
    }
  }
}

/**
 * FOLLOWEDBY: the right bindings sorted by their earliest last_observed, so each left binding meets only
 * those that can come after it (found by bisection) instead of testing the order against every one.
 */
function* orderedJoin(
  batch: readonly TimedObservation[],
  left: Iterable<Binding>,
  right: Iterable<Binding>,
  constraints: readonly Constraint[],
): Iterable<Binding> {
  const rights = [...right]
    .map((binding) => ({ binding, earliestLast: earliestLastObserved(batch, binding) }))
    .sort((a, b) => compareTimestamps(a.earliestLast, b.earliestLast));
  for (const l of left) {
    const latestFirst = latestFirstObserved(batch, l);
    let low = 0;
    let high = rights.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const candidate = rights[middle];
      if (candidate !== undefined && compareTimestamps(candidate.earliestLast, latestFirst) < 0)
        low = middle + 1;
      else high = middle;
    }
    for (let index = low; index < rights.length; index += 1) {
      const r = rights[index];
      if (r === undefined) continue;
      const both = union(batch, l, r.binding);
      if (both !== undefined && admits(batch, both, constraints)) yield both;
    }
  }
}

/**
 * Every multiset of `times` bindings (with repetition) whose union fits the observations' counts. Depth-first
 * over the items with an explicit stack (a count in the millions must not exhaust the call stack): each item
 * is taken k times, most first, and a branch stops when the items left cannot supply enough observations or
 * the partial binding already fails an enclosing WITHIN or START/STOP.
 */
function* repeats(
  batch: readonly TimedObservation[],
  items: readonly Binding[],
  times: number,
  constraints: readonly Constraint[],
): Iterable<Binding> {
  const supply = suffixSupply(batch, items);
  interface Frame {
    readonly index: number;
    readonly chosen: Binding;
    readonly left: number;
    copies: number;
  }
  const frame = (index: number, chosen: Binding, left: number): Frame => ({
    index,
    chosen,
    left,
    copies: left === 0 || (supply[index] ?? 0) < left ? -1 : maxCopies(batch, items[index], chosen, left),
  });
  const stack: Frame[] = [frame(0, { counts: new Map(), key: '' }, times)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Frame;
    if (top.left === 0) {
      stack.pop();
      yield top.chosen;
      continue;
    }
    if (top.copies < 0) {
      stack.pop();
      continue;
    }
    const copies = top.copies--;
    const item = items[top.index];
    const next = item === undefined ? undefined : union(batch, top.chosen, item, copies);
    if (next !== undefined && (copies === 0 || admits(batch, next, constraints))) {
      stack.push(frame(top.index + 1, next, top.left - copies));
    }
  }
}

/** For each position, how many observations the items from there on could supply at most. */
function suffixSupply(batch: readonly TimedObservation[], items: readonly Binding[]): number[] {
  const supply = new Array<number>(items.length + 1).fill(0);
  const seen = new Set<number>();
  let total = 0;
  for (let i = items.length - 1; i >= 0; i--) {
    for (const index of items[i]?.counts.keys() ?? []) {
      if (seen.has(index)) continue;
      seen.add(index);
      total += batch[index]?.numberObserved ?? 0;
    }
    supply[i] = total;
  }
  return supply;
}

/** How many more copies of `item` fit next to `chosen` (at most `left`); -1 past the last item. */
function maxCopies(
  batch: readonly TimedObservation[],
  item: Binding | undefined,
  chosen: Binding,
  left: number,
): number {
  if (item === undefined) return -1;
  let copies = left;
  for (const [index, count] of item.counts) {
    const free = (batch[index]?.numberObserved ?? 0) - (chosen.counts.get(index) ?? 0);
    copies = Math.min(copies, Math.floor(free / count));
  }
  return copies;
}

/**
 * `a` plus `copies` times `b`, or undefined when that would use some observed-data more often than it was
 * observed.
 */
function union(batch: readonly TimedObservation[], a: Binding, b: Binding, copies = 1): Binding | undefined {
  step(batch);
  // Zero copies adds nothing; an entry with count 0 would wrongly take part in time checks.
  if (copies === 0) return a;
  const counts = new Map(a.counts);
  for (const [index, count] of b.counts) {
    const sum = (counts.get(index) ?? 0) + count * copies;
    if (sum > (batch[index]?.numberObserved ?? 0)) return undefined;
    counts.set(index, sum);
  }
  const key = [...counts.entries()]
    .sort(([x], [y]) => x - y)
    .map(([index, count]) => `${index}*${count}`)
    .join(',');
  return { counts, key };
}

function withinSeconds(batch: readonly TimedObservation[], binding: Binding, seconds: number): boolean {
  const windowEnd = addSeconds(earliestLastObserved(batch, binding), seconds);
  return compareTimestamps(latestFirstObserved(batch, binding), windowEnd) < 0;
}

function inWindow(
  batch: readonly TimedObservation[],
  binding: Binding,
  start: Timestamp,
  stop: Timestamp,
): boolean {
  for (const index of binding.counts.keys()) {
    const observation = batch[index];
    if (observation === undefined) return false;
    if (compareTimestamps(observation.firstObserved, stop) >= 0) return false;
    if (compareTimestamps(observation.lastObserved, start) < 0) return false;
  }
  return true;
}

function latestFirstObserved(batch: readonly TimedObservation[], binding: Binding): Timestamp {
  return extreme(batch, binding, (o) => o.firstObserved, 1);
}

function earliestLastObserved(batch: readonly TimedObservation[], binding: Binding): Timestamp {
  return extreme(batch, binding, (o) => o.lastObserved, -1);
}

function extreme(
  batch: readonly TimedObservation[],
  binding: Binding,
  pick: (observation: TimedObservation) => Timestamp,
  sign: 1 | -1,
): Timestamp {
  let best: Timestamp | undefined;
  for (const index of binding.counts.keys()) {
    const observation = batch[index];
    if (observation === undefined) continue;
    const t = pick(observation);
    if (best === undefined || sign * compareTimestamps(t, best) > 0) best = t;
  }
  if (best === undefined) throw new Error('internal: empty binding');
  return best;
}

function* concat<T>(a: Iterable<T>, b: Iterable<T>): Iterable<T> {
  yield* a;
  yield* b;
}

function* distinct(bindings: Iterable<Binding>): Iterable<Binding> {
  const seen = new Set<string>();
  for (const binding of bindings) {
    if (seen.has(binding.key)) continue;
    seen.add(binding.key);
    yield binding;
  }
}

/** A lazily computed sequence that can be iterated many times (the inner side of a join). */
class Cached implements Iterable<Binding> {
  private readonly items: Binding[] = [];
  private readonly source: Iterator<Binding>;
  private done = false;

  constructor(source: Iterable<Binding>) {
    this.source = source[Symbol.iterator]();
  }

  /** Whether the source has no item (its first is computed and kept, if any). */
  isEmpty(): boolean {
    for (const _item of this) return false;
    return true;
  }

  *[Symbol.iterator](): Iterator<Binding> {
    for (let i = 0; ; i++) {
      if (i < this.items.length) {
        yield this.items[i] as Binding;
        continue;
      }
      if (this.done) return;
      const next = this.source.next();
      if (next.done === true) {
        this.done = true;
        return;
      }
      this.items.push(next.value);
      yield next.value;
    }
  }
}
