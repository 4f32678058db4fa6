/**
 * Random patterns for the differential test. Comparisons are drawn per kind of value, so most of them can hit;
 * a share compares incompatible types. Inputs on which the reference can give no usable answer (see "The
 * differential test" in docs/conformance.md) are not generated.
 */
import type { StixVersion } from '../conformance/case.js';
import type {
  ComparisonNode,
  ComparisonOperator,
  ConstantNode,
  ObservationNode,
  Qualifier,
} from './pattern-tree.js';
import type { Prng } from './prng.js';
import * as pools from './value-pools.js';

type ValueKind = 'string' | 'number' | 'bool' | 'timestamp' | 'hex' | 'payload' | 'ip' | 'absent';

interface PathChoice {
  readonly path: string;
  readonly kind: ValueKind;
}

const PATHS: Readonly<Record<string, readonly PathChoice[]>> = {
  file: [
    { path: 'file:name', kind: 'string' },
    { path: "file:'name'", kind: 'string' },
    { path: 'file:size', kind: 'number' },
    { path: 'file:hashes.MD5', kind: 'string' },
    { path: "file:hashes.'SHA-256'", kind: 'string' },
    { path: 'file:x_tags[*]', kind: 'string' },
    { path: 'file:x_tags[0]', kind: 'string' },
    { path: 'file:x_tags[1]', kind: 'string' },
    { path: 'file:x_flag', kind: 'bool' },
    { path: 'file:ctime', kind: 'timestamp' },
    { path: 'file:x_data_hex', kind: 'hex' },
    { path: "file:extensions.'x-acme-ext'.level", kind: 'number' },
    { path: 'file:x_absent', kind: 'absent' },
  ],
  'ipv4-addr': [{ path: 'ipv4-addr:value', kind: 'ip' }],
  'ipv6-addr': [{ path: 'ipv6-addr:value', kind: 'ip' }],
  'network-traffic': [
    { path: 'network-traffic:src_ref.value', kind: 'ip' },
    { path: 'network-traffic:dst_ref.value', kind: 'ip' },
    { path: 'network-traffic:protocols[*]', kind: 'string' },
    { path: 'network-traffic:protocols[0]', kind: 'string' },
    { path: 'network-traffic:dst_port', kind: 'number' },
  ],
  process: [
    { path: 'process:name', kind: 'string' },
    { path: 'process:pid', kind: 'number' },
    { path: 'process:command_line', kind: 'string' },
    { path: 'process:image_ref.name', kind: 'string' },
    { path: 'process:image_ref.size', kind: 'number' },
    { path: 'process:child_refs[*].name', kind: 'string' },
    { path: 'process:child_refs[0].pid', kind: 'number' },
  ],
  directory: [
    { path: 'directory:path', kind: 'string' },
    { path: 'directory:contains_refs[*].name', kind: 'string' },
    { path: 'directory:contains_refs[0].size', kind: 'number' },
  ],
  artifact: [{ path: 'artifact:payload_bin', kind: 'payload' }],
};
const TYPES = [
  'file',
  'file',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'network-traffic',
  'network-traffic',
  'process',
  'process',
  'directory',
  'artifact',
];
const ORDERING: readonly ComparisonOperator[] = ['<', '>', '<=', '>='];

/** What the case's observations hold: patterns lean on it so that matches are common. */
export interface Present {
  readonly types: readonly string[];
  readonly strings: readonly string[];
  readonly numbers: readonly number[];
}

let present: Present = { types: [], strings: [], numbers: [] };

function objectType(rng: Prng): string {
  return present.types.length > 0 && rng.chance(0.9) ? rng.pick(present.types) : rng.pick(TYPES);
}

function someString(rng: Prng): string {
  return present.strings.length > 0 && rng.chance(0.7)
    ? rng.pick(present.strings)
    : rng.pick(pools.STRING_CONSTANTS);
}

const str = (value: string): ConstantNode => ({ type: 'string', value });
const num = (rng: Prng): ConstantNode => {
  if (present.numbers.length > 0 && rng.chance(0.5)) {
    const value = rng.pick(present.numbers);
    return Number.isInteger(value) ? { type: 'int', value } : { type: 'float', value };
  }
  const { value, float } = rng.pick(pools.NUMBER_CONSTANTS);
  return float ? { type: 'float', value } : { type: 'int', value };
};
const stamp = (rng: Prng): ConstantNode => ({
  type: 'timestamp',
  value: rng.pick(pools.TIMESTAMP_CONSTANTS),
});
const bytes = (rng: Prng): ConstantNode => rng.pick(pools.BINARY_CONSTANTS);

interface Drawn {
  readonly operator: ComparisonOperator;
  readonly constant: ConstantNode | readonly ConstantNode[];
  /** NOT is not drawn for orderings across incompatible types (ref-not-order-incompatible). */
  readonly negatable: boolean;
}

function setOf(rng: Prng, draw: () => ConstantNode): ConstantNode[] {
  return Array.from({ length: rng.int(1, 3) }, draw);
}

function drawString(rng: Prng, op: ComparisonOperator | 'mismatch'): Drawn {
  const constant = (): ConstantNode => str(someString(rng));
  switch (op) {
    case 'IN':
      return { operator: 'IN', constant: setOf(rng, constant), negatable: true };
    case 'LIKE':
      return { operator: 'LIKE', constant: str(rng.pick(pools.LIKE_PATTERNS)), negatable: true };
    case 'MATCHES':
      return { operator: 'MATCHES', constant: str(rng.pick(pools.REGEXES)), negatable: true };
    case 'mismatch':
      return rng.chance(0.5)
        ? {
            operator: rng.pick(['=', '!=']),
            constant: rng.chance(0.5) ? num(rng) : bytes(rng),
            negatable: true,
          }
        : { operator: rng.pick(ORDERING), constant: num(rng), negatable: false };
    default:
      return { operator: op, constant: constant(), negatable: true };
  }
}

function drawNumber(rng: Prng, op: ComparisonOperator | 'mismatch'): Drawn {
  if (op === 'IN') return { operator: 'IN', constant: setOf(rng, () => num(rng)), negatable: true };
  if (op === 'mismatch')
    return {
      operator: rng.pick(['=', '!=']),
      constant: rng.chance(0.5) ? str('10') : { type: 'bool', value: true },
      negatable: true,
    };
  return { operator: op, constant: num(rng), negatable: true };
}

function drawFor(rng: Prng, kind: ValueKind): Drawn {
  const mismatch = rng.chance(0.08);
  switch (kind) {
    case 'string':
    case 'absent':
      return drawString(
        rng,
        mismatch ? 'mismatch' : rng.pick(['=', '=', '!=', 'IN', 'LIKE', 'MATCHES', '<', '>', '<=', '>=']),
      );
    case 'number':
      return drawNumber(rng, mismatch ? 'mismatch' : rng.pick(['=', '!=', 'IN', '<', '>', '<=', '>=']));
    case 'bool': {
      const bool = (): ConstantNode => ({ type: 'bool', value: rng.chance(0.5) });
      if (mismatch) return { operator: '=', constant: str('true'), negatable: true };
      return rng.chance(0.3)
        ? { operator: 'IN', constant: setOf(rng, bool), negatable: true }
        : { operator: rng.pick(['=', '!=']), constant: bool(), negatable: true };
    }
    case 'timestamp': {
      if (mismatch) return { operator: '=', constant: num(rng), negatable: true };
      if (rng.chance(0.2)) return { operator: 'IN', constant: setOf(rng, () => stamp(rng)), negatable: true };
      return { operator: rng.pick(['=', '!=', '<', '>', '<=', '>=']), constant: stamp(rng), negatable: true };
    }
    case 'hex':
    case 'payload':
      return drawBinary(rng, kind);
    case 'ip':
      return drawAddress(rng);
  }
}

function drawBinary(rng: Prng, kind: 'hex' | 'payload'): Drawn {
  const op = rng.pick<ComparisonOperator>([
    '=',
    '=',
    '!=',
    '<',
    '>',
    'IN',
    'MATCHES',
    ...(kind === 'payload' ? ['LIKE' as const] : []),
  ]);
  if (op === 'IN') return { operator: 'IN', constant: setOf(rng, () => bytes(rng)), negatable: true };
  if (op === 'MATCHES')
    return {
      operator: op,
      constant: str(rng.pick(['^this', 'bc$', 'a', '^\\x00', 'world'])),
      negatable: true,
    };
  if (op === 'LIKE')
    return { operator: op, constant: str(rng.pick(['this%', '%c', 'hello_world', '%'])), negatable: true };
  return {
    operator: op,
    constant: rng.chance(0.5) ? bytes(rng) : str(rng.pick(pools.BINARY_STRING_CONSTANTS)),
    negatable: true,
  };
}

function drawAddress(rng: Prng): Drawn {
  const op = rng.pick<ComparisonOperator>(['=', '!=', 'ISSUBSET', 'ISSUBSET', 'ISSUPERSET', 'LIKE', 'IN']);
  const v6 = rng.chance(0.15);
  switch (op) {
    case 'ISSUBSET':
      return {
        operator: op,
        constant: str(v6 ? rng.pick(pools.IPV6_CONSTANTS) : rng.pick(pools.SUBNET_CONSTANTS)),
        negatable: true,
      };
    case 'ISSUPERSET':
      return {
        operator: op,
        constant: str(v6 ? rng.pick(pools.IPV6_CONSTANTS) : rng.pick(pools.CONTAINED_CONSTANTS)),
        negatable: true,
      };
    case 'LIKE':
      return {
        operator: op,
        constant: str(rng.pick(['10.0.%', '%/24', '192.168._.10', '%::%'])),
        negatable: true,
      };
    case 'IN':
      return {
        operator: op,
        constant: setOf(rng, () => str(rng.pick([...pools.IPV4, ...pools.IPV6]))),
        negatable: true,
      };
    default:
      return { operator: op, constant: str(rng.pick([...pools.IPV4, ...pools.IPV6])), negatable: true };
  }
}

function comparison(rng: Prng, type: string, allowExists: boolean): ComparisonNode {
  const choice = rng.pick(PATHS[type] ?? []);
  if (allowExists && rng.chance(0.06)) {
    return { kind: 'comparison', path: choice.path, negated: false, operator: 'EXISTS', constant: null };
  }
  const drawn = drawFor(rng, choice.kind);
  return {
    kind: 'comparison',
    path: choice.path,
    negated: drawn.negatable && rng.chance(0.15),
    operator: drawn.operator,
    constant: drawn.constant,
  };
}

const COMPARISON_PRECEDENCE = { OR: 1, AND: 2 } as const;

function withParens<T extends { readonly kind: string }>(
  child: T,
  parentPrecedence: number,
  childPrecedence: number | undefined,
  side: 'left' | 'right',
  rng: Prng,
): T {
  if (childPrecedence === undefined) return child;
  const required =
    childPrecedence < parentPrecedence || (childPrecedence === parentPrecedence && side === 'right');
  return { ...child, parens: required || rng.chance(0.4) };
}

function comparisonExpression(rng: Prng, count: number, type: string): ComparisonNode {
  if (count === 1) return comparison(rng, type, false);
  const leftCount = rng.int(1, count - 1);
  const operator = rng.pick(['AND', 'OR'] as const);
  // AND across object types never matches; keep it rare so that ANDs mostly can hit.
  const rightType = operator === 'OR' || rng.chance(0.1) ? objectType(rng) : type;
  const left = comparisonExpression(rng, leftCount, type);
  const right = comparisonExpression(rng, count - leftCount, rightType);
  const precedence = COMPARISON_PRECEDENCE[operator];
  const precedenceOf = (node: ComparisonNode): number | undefined =>
    node.kind === 'comparison' ? undefined : COMPARISON_PRECEDENCE[node.kind];
  return {
    kind: operator,
    left: withParens(left, precedence, precedenceOf(left), 'left', rng),
    right: withParens(right, precedence, precedenceOf(right), 'right', rng),
    parens: false,
  };
}

function leaf(rng: Prng): ObservationNode {
  const type = objectType(rng);
  const count = rng.pick([1, 1, 1, 2, 2, 3]);
  // EXISTS only alone: the reference fails on EXISTS under AND (ref-exists-in-boolean).
  const expression = count === 1 ? comparison(rng, type, true) : comparisonExpression(rng, count, type);
  return { kind: 'leaf', comparison: expression };
}

function qualifier(
  rng: Prng,
  version: StixVersion,
  exclude: ReadonlySet<Qualifier['kind']>,
): Qualifier | undefined {
  // START/STOP is broken in the reference's 2.0 mode (ref-v20-start-stop).
  const kinds = (['REPEATS', 'WITHIN', 'START'] as const).filter(
    (k) => !exclude.has(k) && (k !== 'START' || version === '2.1'),
  );
  if (kinds.length === 0) return undefined;
  const kind = rng.pick(kinds);
  if (kind === 'REPEATS') return { kind, times: rng.pick([2, 2, 3]) };
  if (kind === 'WITHIN') return { kind, seconds: rng.pick(pools.WINDOWS) };
  const [start, stop] = rng.some(pools.QUALIFIER_TIMES, 2, 2).sort((a, b) => a - b);
  return { kind, start: pools.timeAt(start ?? 0), stop: pools.timeAt(stop ?? 0) };
}

/** Zero, one or (rarely) two qualifiers of different types: never two of one type (ref-accepts-duplicate-qualifier). */
function qualify(rng: Prng, node: ObservationNode, version: StixVersion): ObservationNode {
  let result = node;
  const used = new Set<Qualifier['kind']>();
  for (let probability = 0.25; rng.chance(probability); probability = 0.25) {
    const chosen = qualifier(rng, version, used);
    if (chosen === undefined) break;
    used.add(chosen.kind);
    result = { kind: 'qualified', expression: result, qualifier: chosen };
  }
  return result;
}

const OBSERVATION_PRECEDENCE = { FOLLOWEDBY: 1, OR: 2, AND: 3 } as const;

function observationExpression(rng: Prng, count: number, version: StixVersion): ObservationNode {
  if (count === 1) return qualify(rng, leaf(rng), version);
  const leftCount = rng.int(1, count - 1);
  const operator = rng.pick(['AND', 'OR', 'OR', 'FOLLOWEDBY'] as const);
  const left = observationExpression(rng, leftCount, version);
  const right = observationExpression(rng, count - leftCount, version);
  const precedence = OBSERVATION_PRECEDENCE[operator];
  const precedenceOf = (node: ObservationNode): number | undefined =>
    node.kind === 'leaf' || node.kind === 'qualified' ? undefined : OBSERVATION_PRECEDENCE[node.kind];
  const node: ObservationNode = {
    kind: operator,
    left: withParens(left, precedence, precedenceOf(left), 'left', rng),
    right: withParens(right, precedence, precedenceOf(right), 'right', rng),
    parens: false,
  };
  return qualify(rng, node, version);
}

export function generatePattern(rng: Prng, version: StixVersion, inObservations: Present): ObservationNode {
  present = inObservations;
  return observationExpression(rng, rng.pick([1, 1, 1, 1, 2, 2, 3]), version);
}
