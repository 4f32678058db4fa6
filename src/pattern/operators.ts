/**
 * Comparison operators on one selected value (STIX 2.1 Part 9, comparison operators), compiled once per
 * comparison. A value of a type the operator does not apply to makes the test false, never an error; NOT and
 * `!=` are applied by the caller, so they turn such a mismatch into true, as in the reference matcher.
 */
import type { ComparisonOperator, Constant, SetConstant, Span } from './ast.js';
import { compileRegex } from './regex.js';
import {
  bytesEqual,
  bytesToLatin1,
  isLatin1,
  compareBytes,
  decodeUtf8,
  latin1Bytes,
} from './values/binary.js';
import { compileNetworkRelation, parseIpNetwork } from './values/cidr.js';
import { compileLike } from './values/like.js';
import { compareCodePoints, nfc } from './values/strings.js';
import { compareTimestamps, parseTimestamp, type Timestamp } from './values/timestamp.js';

export type ValueTest = (value: unknown) => boolean;

/** A constant the pattern cannot use (bad CIDR, bad regular expression, mixed set …), with where it is. */
export class ConstantError extends Error {
  override readonly name = 'ConstantError';
  readonly span: Span;

  constructor(message: string, span: Span) {
    super(message);
    this.span = span;
  }
}

/** A constant turned into the value it is compared as. */
type Operand =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number; readonly exact: bigint | undefined }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'timestamp'; readonly value: Timestamp }
  | { readonly kind: 'bytes'; readonly value: Uint8Array };

export function toOperand(constant: Constant): Operand {
  switch (constant.kind) {
    case 'string':
      return { kind: 'string', value: constant.value };
    case 'integer':
      return { kind: 'number', value: constant.value, exact: exactInteger(constant.value, constant.raw) };
    case 'float':
      return { kind: 'number', value: constant.value, exact: undefined };
    case 'boolean':
      return { kind: 'boolean', value: constant.value };
    case 'timestamp': {
      const value = parseTimestamp(constant.value);
      if (value === undefined) throw new ConstantError(`invalid timestamp t'${constant.value}'`, constant);
      return { kind: 'timestamp', value };
    }
    case 'binary':
    case 'hex':
      return { kind: 'bytes', value: constant.bytes };
  }
}

/**
 * The test for `path [NOT] <operator> value` on one selected value; `value` is null only for EXISTS (whose NOT
 * the caller applies to the whole path). NOT negates the comparison (STIX 2.1 §9.6.1), so a type mismatch,
 * false, becomes true under NOT. Deviation: for < > <= >= on incompatible types the reference returns false
 * before applying NOT.
 */
export function compileValueTest(
  operator: ComparisonOperator,
  value: Constant | SetConstant | null,
  negated: boolean,
): ValueTest {
  const test = compilePositiveTest(operator, value);
  return negated ? (v) => !test(v) : test;
}

function compilePositiveTest(operator: ComparisonOperator, value: Constant | SetConstant | null): ValueTest {
  if (operator === 'EXISTS') return () => true;
  if (value === null) throw new Error(`internal: ${operator} without a value`);
  if (operator === 'IN')
    return compileIn(value.kind === 'set' ? value : { ...value, kind: 'set', values: [value] });
  if (value.kind === 'set') throw new ConstantError(`${operator} takes a single value, not a set`, value);
  switch (operator) {
    case '=':
      return equalityTest(toOperand(value));
    case '!=': {
      const equal = equalityTest(toOperand(value));
      return (v) => !equal(v);
    }
    case '<':
    case '>':
    case '<=':
    case '>=':
      return orderTest(operator, toOperand(value));
    case 'LIKE':
      return likeTest(stringConstant(value, operator), value);
    case 'MATCHES':
      return matchesTest(stringConstant(value, operator), value);
    case 'ISSUBSET':
    case 'ISSUPERSET':
      return networkTest(operator, value);
  }
}

function stringConstant(value: Constant, operator: string): string {
  if (value.kind !== 'string') throw new ConstantError(`${operator} takes a string`, value);
  return value.value;
}

/**
 * An integer constant beyond 2^53 keeps its exact value (from the digits as written): Python compares int
 * with float exactly, so 9007199254740993 does not equal the double 9007199254740992.
 */
function exactInteger(value: number, raw: string): bigint | undefined {
  if (Number.isSafeInteger(value)) return undefined;
  try {
    return BigInt(raw);
  } catch {
    return undefined;
  }
}

/** Order of a JSON number against a numeric constant, exactly when the constant is a big integer. */
function compareNumber(v: number, value: number, exact: bigint | undefined): number {
  if (exact === undefined || !Number.isInteger(v)) return Math.sign(v - value);
  const big = BigInt(v);
  return big < exact ? -1 : big > exact ? 1 : 0;
}

/** `=`: same type, or binary against a string whose code points are all below 256 (compared as bytes). */
export function equalityTest(operand: Operand): ValueTest {
  switch (operand.kind) {
    case 'string': {
      const asBytes = latin1Bytes(operand.value);
      return (v) =>
        typeof v === 'string'
          ? v === operand.value
          : v instanceof Uint8Array && asBytes !== undefined && bytesEqual(v, asBytes);
    }
    case 'number': {
      const { value, exact } = operand;
      if (exact === undefined) return (v) => v === value;
      return (v) => typeof v === 'number' && compareNumber(v, value, exact) === 0;
    }
    case 'boolean':
      return (v) => v === operand.value;
    case 'timestamp':
      return (v) => {
        const t = timestampOf(v);
        return t !== undefined && compareTimestamps(t, operand.value) === 0;
      };
    case 'bytes':
      return (v) => {
        const bytes = bytesOf(v);
        return bytes !== undefined && bytesEqual(bytes, operand.value);
      };
  }
}

/**
 * A string property compared with a timestamp constant is read as a timestamp. Deviation: a string that is
 * no timestamp makes the comparison a type mismatch (false; `!=` true) where the reference raises an error.
 */
function timestampOf(value: unknown): Timestamp | undefined {
  return typeof value === 'string' ? parseTimestamp(value) : undefined;
}

/** Binary value, or a string read as bytes when all its code points are below 256. */
function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  return typeof value === 'string' ? latin1Bytes(value) : undefined;
}

/**
 * `< > <= >=`: numbers, strings (by code point), timestamps and bytes; booleans have no order. Values of a type
 * with no order against the constant, and strings against bytes that cannot be read as bytes (a code point
 * over 255), make the comparison false.
 */
function orderTest(operator: '<' | '>' | '<=' | '>=', operand: Operand): ValueTest {
  const accept = orderAcceptor(operator);
  const compare = orderComparator(operand);
  return (v) => {
    const order = compare(v);
    return order !== undefined && !Number.isNaN(order) && accept(order);
  };
}

function orderAcceptor(operator: '<' | '>' | '<=' | '>='): (order: number) => boolean {
  switch (operator) {
    case '<':
      return (order) => order < 0;
    case '>':
      return (order) => order > 0;
    case '<=':
      return (order) => order <= 0;
    case '>=':
      return (order) => order >= 0;
  }
}

/** The value's order relative to the constant; undefined when their types have no order, NaN when unordered. */
function orderComparator(operand: Operand): (value: unknown) => number | undefined {
  switch (operand.kind) {
    case 'string': {
      const asBytes = latin1Bytes(operand.value);
      return (v) => {
        if (typeof v === 'string') return compareCodePoints(v, operand.value);
        if (!(v instanceof Uint8Array)) return undefined;
        return asBytes === undefined ? NaN : compareBytes(v, asBytes);
      };
    }
    case 'number':
      return (v) => (typeof v === 'number' ? compareNumber(v, operand.value, operand.exact) : undefined);
    case 'boolean':
      return () => undefined;
    case 'timestamp':
      return (v) => {
        const t = timestampOf(v);
        return t === undefined ? undefined : compareTimestamps(t, operand.value);
      };
    case 'bytes':
      return (v) => {
        if (typeof v === 'string') {
          const bytes = latin1Bytes(v);
          return bytes === undefined ? NaN : compareBytes(bytes, operand.value);
        }
        return v instanceof Uint8Array ? compareBytes(v, operand.value) : undefined;
      };
  }
}

/**
 * IN: equality with one of the values (STIX 2.1 §9.6.1), so a string and a binary value compare as octets
 * (§9.6.4) exactly as `=` does, and integers and floats mix. The set must hold one type (numbers count as one);
 * a mixed set is rejected when the pattern is compiled (the reference raises when it matches).
 * Deviations: the reference's Python set keeps strings and bytes unequal (ref-in-binary-string), and in Python
 * `True in {1}` holds (bool is an int); here a boolean is never a number, as "comparisons between different
 * types are false" asks.
 */
function compileIn(set: SetConstant): ValueTest {
  const operands = set.values.map(toOperand);
  const kinds = new Set(operands.map((o) => o.kind));
  if (kinds.size > 1) throw new ConstantError('IN set mixes constants of different types', set);
  const [kind] = kinds;
  const tests = operands.map(equalityTest);
  const anyEqual: ValueTest = (v) => tests.some((test) => test(v));
  if (
    kind === 'timestamp' ||
    kind === 'bytes' ||
    operands.some((o) => o.kind === 'number' && o.exact !== undefined)
  ) {
    return anyEqual;
  }
  // The common case, strings and numbers, is a set lookup; only a binary value needs the octet comparison.
  const members = new Set<unknown>(operands.map((o) => o.value));
  return kind === 'string'
    ? (v) => (v instanceof Uint8Array ? anyEqual(v) : members.has(v))
    : (v) => members.has(v);
}

/** LIKE on strings, and on binary values that are UTF-8 (as the reference decodes them; bytes that are not UTF-8 are false here, an error there). */
function likeTest(likePattern: string, span: Span): ValueTest {
  let test: (text: string) => boolean;
  try {
    test = compileLike(likePattern);
  } catch (error) {
    throw new ConstantError(`LIKE pattern cannot be compiled: ${String(error)}`, span);
  }
  const bytesAllowed = isLatin1(nfc(likePattern));
  return (v) => {
    if (typeof v === 'string') return test(nfc(v));
    if (!(v instanceof Uint8Array) || !bytesAllowed) return false;
    const text = decodeUtf8(v);
    return text !== undefined && test(nfc(text));
  };
}

/** MATCHES: a search (not anchored) on the NFC string, or on the bytes of a binary value. */
function matchesTest(source: string, span: Span): ValueTest {
  let regex;
  try {
    regex = compileRegex(nfc(source));
  } catch (error) {
    throw new ConstantError(error instanceof Error ? error.message : String(error), span);
  }
  const { searchText, searchBytes } = regex;
  return (v) => {
    if (typeof v === 'string') return searchText(nfc(v));
    return v instanceof Uint8Array && searchBytes !== undefined && searchBytes(bytesToLatin1(v));
  };
}

/**
 * ISSUBSET: the value (address or network) lies in the constant network; ISSUPERSET: the reverse.
 * Deviations from the reference (which follows `socket.inet_aton`, IPv4 only, prefixes 1–32): IPv6 works, /0
 * is allowed, a bare address counts as a /32 (/128) on either side, IPv4 must be a strict dotted quad, a value
 * that is no address is simply false (the reference raises), and a bad constant is a compile error.
 */
function networkTest(operator: 'ISSUBSET' | 'ISSUPERSET', value: Constant): ValueTest {
  const text = stringConstant(value, operator);
  const constant = parseIpNetwork(text);
  if (constant === undefined) {
    throw new ConstantError(`'${text}' is not an IPv4 or IPv6 address or CIDR network`, value);
  }
  const test = compileNetworkRelation(constant, operator === 'ISSUBSET' ? 'inside' : 'around');
  return (v) => typeof v === 'string' && test(v);
}
