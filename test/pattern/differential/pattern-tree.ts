/**
 * The generator's own pattern tree (independent of src/pattern/ast.ts, so that the parser is under test too),
 * and its rendering to pattern text. Rendering can apply repairs: rewrites that make the reference give the
 * specification's answer for one known deviation (see classifiers.ts).
 */

export type ConstantNode =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'timestamp'; readonly value: string }
  | { readonly type: 'binary'; readonly base64: string }
  | { readonly type: 'hex'; readonly hex: string };

export type ComparisonOperator =
  '=' | '!=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET' | 'EXISTS';

export type ComparisonNode =
  | {
      readonly kind: 'comparison';
      readonly path: string;
      readonly negated: boolean;
      readonly operator: ComparisonOperator;
      readonly constant: ConstantNode | readonly ConstantNode[] | null;
    }
  | {
      readonly kind: 'AND' | 'OR';
      readonly left: ComparisonNode;
      readonly right: ComparisonNode;
      readonly parens: boolean;
    };

export type Qualifier =
  | { readonly kind: 'REPEATS'; readonly times: number }
  | { readonly kind: 'WITHIN'; readonly seconds: number }
  | { readonly kind: 'START'; readonly start: string; readonly stop: string };

export type ObservationNode =
  | { readonly kind: 'leaf'; readonly comparison: ComparisonNode }
  | {
      readonly kind: 'AND' | 'OR' | 'FOLLOWEDBY';
      readonly left: ObservationNode;
      readonly right: ObservationNode;
      readonly parens: boolean;
    }
  | { readonly kind: 'qualified'; readonly expression: ObservationNode; readonly qualifier: Qualifier };

export interface Repairs {
  /** Shorten every WITHIN window by one microsecond (ref-within-inclusive). */
  readonly withinExclusive?: boolean;
  /** Prefix every MATCHES regex with (?s) (ref-matches-no-dotall). */
  readonly dotAll?: boolean;
  /** Rewrite every LIKE as the equivalent MATCHES '(?s)^…\Z' (ref-like-newline). */
  readonly likeAsRegex?: boolean;
}

export function quoteString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function renderNumber(value: number, type: 'int' | 'float'): string {
  if (type === 'int') return String(value);
  const text = String(value);
  return text.includes('.') ? text : `${text}.0`;
}

export function renderConstant(constant: ConstantNode): string {
  switch (constant.type) {
    case 'string':
      return quoteString(constant.value);
    case 'int':
    case 'float':
      return renderNumber(constant.value, constant.type);
    case 'bool':
      return String(constant.value);
    case 'timestamp':
      return `t'${constant.value}'`;
    case 'binary':
      return `b'${constant.base64}'`;
    case 'hex':
      return `h'${constant.hex}'`;
  }
}

/** Python-regex source matching exactly what a LIKE pattern matches (whole value, any character). */
export function likeToRegex(like: string): string {
  const body = Array.from(like)
    .map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return `(?s)^${body}\\Z`;
}

function withDotAll(regex: string): string {
  return regex.startsWith('(?i)') ? `(?si)${regex.slice(4)}` : `(?s)${regex}`;
}

function renderComparison(node: ComparisonNode, repairs: Repairs): string {
  if (node.kind !== 'comparison') {
    const text = `${renderComparison(node.left, repairs)} ${node.kind} ${renderComparison(node.right, repairs)}`;
    return node.parens ? `(${text})` : text;
  }
  const not = node.negated ? 'NOT ' : '';
  if (node.operator === 'EXISTS') return `${not}EXISTS ${node.path}`;
  const { constant } = node;
  if (constant === null) throw new Error(`${node.operator} without a constant`);
  if (Array.isArray(constant)) return `${node.path} ${not}IN (${constant.map(renderConstant).join(', ')})`;
  const single = constant as ConstantNode;
  if (single.type === 'string' && node.operator === 'LIKE' && repairs.likeAsRegex === true) {
    return `${node.path} ${not}MATCHES ${quoteString(likeToRegex(single.value))}`;
  }
  if (single.type === 'string' && node.operator === 'MATCHES' && repairs.dotAll === true) {
    return `${node.path} ${not}MATCHES ${quoteString(withDotAll(single.value))}`;
  }
  return `${node.path} ${not}${node.operator} ${renderConstant(single)}`;
}

function renderQualifier(qualifier: Qualifier, repairs: Repairs): string {
  switch (qualifier.kind) {
    case 'REPEATS':
      return `REPEATS ${qualifier.times} TIMES`;
    case 'WITHIN': {
      const seconds = repairs.withinExclusive === true ? (qualifier.seconds - 0.000001).toFixed(6) : null;
      return `WITHIN ${seconds ?? renderNumber(qualifier.seconds, Number.isInteger(qualifier.seconds) ? 'int' : 'float')} SECONDS`;
    }
    case 'START':
      return `START t'${qualifier.start}' STOP t'${qualifier.stop}'`;
  }
}

export function renderObservation(node: ObservationNode, repairs: Repairs = {}): string {
  switch (node.kind) {
    case 'leaf':
      return `[${renderComparison(node.comparison, repairs)}]`;
    case 'qualified': {
      const { expression } = node;
      const grouped =
        expression.kind === 'leaf' || expression.kind === 'qualified'
          ? expression
          : { ...expression, parens: true };
      return `${renderObservation(grouped, repairs)} ${renderQualifier(node.qualifier, repairs)}`;
    }
    default: {
      const text = `${renderObservation(node.left, repairs)} ${node.kind} ${renderObservation(node.right, repairs)}`;
      return node.parens ? `(${text})` : text;
    }
  }
}

/** Every comparison in the tree. */
export function comparisonsOf(node: ObservationNode): ComparisonNode[] {
  const leaves = (c: ComparisonNode): ComparisonNode[] =>
    c.kind === 'comparison' ? [c] : [...leaves(c.left), ...leaves(c.right)];
  switch (node.kind) {
    case 'leaf':
      return leaves(node.comparison);
    case 'qualified':
      return comparisonsOf(node.expression);
    default:
      return [...comparisonsOf(node.left), ...comparisonsOf(node.right)];
  }
}

export function qualifiersOf(node: ObservationNode): Qualifier[] {
  switch (node.kind) {
    case 'leaf':
      return [];
    case 'qualified':
      return [node.qualifier, ...qualifiersOf(node.expression)];
    default:
      return [...qualifiersOf(node.left), ...qualifiersOf(node.right)];
  }
}
