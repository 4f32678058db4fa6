/**
 * Which values of which property an observation must hold for a `[ … ]` to have a chance: the keys under
 * which the indicator set's index files a comparison expression. A key is a necessary condition only; the
 * compiled comparison still decides, so a key may admit too much but must never miss.
 */
import {
  bytesToLatin1,
  likeLiteralPrefix,
  likeLiteralSuffix,
  parseIpNetwork,
  type Comparison,
  type ComparisonExpression,
  type Constant,
  type IpNetwork,
  type ObjectPath,
  type PathStep,
} from '../pattern/index.js';

/** A value as the index compares it: strings (binary as Latin-1 text), finite numbers, booleans. */
export type IndexValue = string | number | boolean;

interface KeyBase {
  readonly objectType: string;
  /** The path after the type, as written (`name`, `image_ref.name`, `extensions.'x'.args[*]`). */
  readonly pathText: string;
  readonly steps: readonly PathStep[];
}

export type IndexKey =
  | (KeyBase & { readonly kind: 'equal'; readonly value: IndexValue })
  | (KeyBase & { readonly kind: 'prefix'; readonly text: string })
  | (KeyBase & { readonly kind: 'suffix'; readonly text: string })
  | (KeyBase & { readonly kind: 'network'; readonly network: IpNetwork });

/**
 * Keys one of which every satisfying observation matches, or undefined when the expression cannot be
 * indexed. OR needs keys on both sides; AND needs them on one side (the cheaper: fewer keys).
 */
export function indexKeys(expression: ComparisonExpression): IndexKey[] | undefined {
  if (expression.kind === 'comparison') return comparisonKeys(expression);
  const left = indexKeys(expression.left);
  const right = indexKeys(expression.right);
  if (expression.operator === 'OR') return left && right ? [...left, ...right] : undefined;
  if (left === undefined) return right;
  if (right === undefined) return left;
  return rank(left) <= rank(right) ? left : right;
}

/** Equality keys are exact lookups; prefixes, suffixes and networks cost a few lookups each. */
function rank(keys: readonly IndexKey[]): number {
  return keys.reduce((sum, key) => sum + (key.kind === 'equal' ? 1 : 4), 0);
}

function comparisonKeys(comparison: Comparison): IndexKey[] | undefined {
  if (comparison.negated) return undefined;
  const base = keyBase(comparison.path);
  const { value } = comparison;
  switch (comparison.operator) {
    case '=':
      return value === null || value.kind === 'set' ? undefined : equalKeys(base, [value]);
    case 'IN':
      if (value === null) return undefined;
      return equalKeys(base, value.kind === 'set' ? value.values : [value]);
    case 'LIKE':
      return value?.kind === 'string' ? likeKeys(base, value.value) : undefined;
    case 'ISSUBSET': {
      const network = value?.kind === 'string' ? parseIpNetwork(value.value) : undefined;
      return network === undefined ? undefined : [{ ...base, kind: 'network', network }];
    }
    default:
      return undefined;
  }
}

function keyBase(path: ObjectPath): KeyBase {
  return { objectType: path.objectType, pathText: pathText(path.steps), steps: path.steps };
}

function pathText(steps: readonly PathStep[]): string {
  let text = '';
  for (const step of steps) {
    if (step.kind === 'property') text += `${text === '' ? '' : '.'}${JSON.stringify(step.name)}`;
    else text += step.kind === 'index' ? `[${step.index}]` : '[*]';
  }
  return text;
}

function equalKeys(base: KeyBase, constants: readonly Constant[]): IndexKey[] | undefined {
  const keys: IndexKey[] = [];
  for (const constant of constants) {
    const value = indexValueOf(constant);
    if (value === undefined) return undefined;
    keys.push({ ...base, kind: 'equal', value });
  }
  return keys;
}

/** The value a constant is looked up as; undefined for timestamps and integers beyond 2^53 (compared exactly). */
function indexValueOf(constant: Constant): IndexValue | undefined {
  switch (constant.kind) {
    case 'string':
    case 'boolean':
      return constant.value;
    case 'integer':
      return Number.isSafeInteger(constant.value) ? constant.value : undefined;
    case 'float':
      return Number.isFinite(constant.value) ? constant.value : undefined;
    case 'binary':
    case 'hex':
      return bytesToLatin1(constant.bytes);
    case 'timestamp':
      return undefined;
  }
}

function likeKeys(base: KeyBase, likePattern: string): IndexKey[] | undefined {
  const prefix = likeLiteralPrefix(likePattern);
  if (prefix !== '') return [{ ...base, kind: 'prefix', text: prefix }];
  const suffix = likeLiteralSuffix(likePattern);
  return suffix === '' ? undefined : [{ ...base, kind: 'suffix', text: suffix }];
}
