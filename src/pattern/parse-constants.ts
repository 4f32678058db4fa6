/** The parser's constants (literals, sets) and qualifiers (WITHIN, REPEATS, START/STOP). */
import type { ComparisonOperator, Constant, Qualifier, SetConstant, TimestampConstant } from './ast.js';
import { isValidTimestamp } from './lexer.js';
import {
  constantOf,
  describeLiteralKind,
  describeToken,
  isLiteralKind,
  type LiteralKind,
  type Token,
} from './tokens.js';
import { ParserCore } from './parser-core.js';

/** Which constants an operator takes (STIX grammar: primitiveLiteral, orderableLiteral, StringLiteral). */
const PRIMITIVE: readonly LiteralKind[] = [
  'string',
  'integer',
  'float',
  'boolean',
  'timestamp',
  'binary',
  'hex',
];
const ORDERABLE: readonly LiteralKind[] = PRIMITIVE.filter((k) => k !== 'boolean');
const STRING_ONLY: readonly LiteralKind[] = ['string'];

export abstract class ConstantParser extends ParserCore {
  // ── Qualifiers ──────────────────────────────────────────────────────────────

  /** `WITHIN n SECONDS`, `REPEATS n TIMES` or `START t'…' STOP t'…'`. */
  protected qualifier(): Qualifier {
    const keyword = this.advance();
    if (keyword.kind === 'WITHIN') {
      const seconds = this.positiveCount('WITHIN', ['integer', 'float']);
      const unit = this.expect('SECONDS', "'SECONDS'");
      return { kind: 'within', seconds, start: keyword.start, end: unit.end };
    }
    if (keyword.kind === 'REPEATS') {
      const times = this.positiveCount('REPEATS', ['integer']);
      const unit = this.expect('TIMES', "'TIMES'");
      return { kind: 'repeats', times, start: keyword.start, end: unit.end };
    }
    const startTime = this.qualifierTimestamp('START');
    this.expect('STOP', "'STOP'");
    const stopTime = this.qualifierTimestamp('STOP');
    return { kind: 'start-stop', startTime, stopTime, start: keyword.start, end: stopTime.end };
  }

  /** The count of WITHIN or REPEATS: a positive number (REPEATS: a positive integer). */
  private positiveCount(keyword: 'WITHIN' | 'REPEATS', accepted: readonly LiteralKind[]): number {
    const token = this.current;
    const what = keyword === 'WITHIN' ? 'a positive number of seconds' : 'a positive integer';
    if (token.kind !== 'integer' && token.kind !== 'float') return this.fail([what]);
    if (!accepted.includes(token.kind)) {
      this.report([what], {
        code: 'wrong-constant-type',
        message: `${keyword} takes ${what}, found ${describeToken(token)}`,
      });
    } else if (token.text.startsWith('-') || Number(token.text) <= 0) {
      this.report([what], {
        code: 'qualifier-not-positive',
        message: `${keyword} takes ${what}, found ${describeToken(token)}`,
      });
    }
    this.advance();
    return Number(token.text);
  }

  /**
   * A timestamp constant t'…'. STIX 2.0 also takes a plain string holding a timestamp: its published grammar
   * (cti-stix2-json-schemas, stix2.0 branch) has a string there, the reference implementation a t'…'.
   */
  private qualifierTimestamp(keyword: 'START' | 'STOP'): TimestampConstant {
    const token = this.current;
    if (token.kind === 'timestamp') {
      this.advance();
      return { kind: 'timestamp', value: token.value ?? '', start: token.start, end: token.end };
    }
    if (this.version === '2.0' && token.kind === 'string') {
      const value = token.value ?? '';
      if (!isValidTimestamp(value)) {
        this.report(['a timestamp'], {
          code: 'invalid-timestamp',
          message: `'${value}' is not a valid timestamp`,
        });
      }
      this.advance();
      return { kind: 'timestamp', value, start: token.start, end: token.end };
    }
    if (token.kind === 'string') {
      return this.fail(["a timestamp t'…'"], {
        code: 'wrong-constant-type',
        message: `${keyword} takes a timestamp t'…', found ${describeToken(token)}`,
        hint: `Write ${keyword} t${token.text}.`,
      });
    }
    return this.fail(["a timestamp t'…'"]);
  }

  // ── Constants ───────────────────────────────────────────────────────────────

  protected constant(operatorToken: Token, operator: ComparisonOperator): Constant {
    const accepted =
      operator === '=' || operator === '!='
        ? PRIMITIVE
        : operator === '<' || operator === '>' || operator === '<=' || operator === '>='
          ? ORDERABLE
          : STRING_ONLY;
    return this.literal(accepted, `'${operatorToken.text}'`);
  }

  /** A constant of one of the `accepted` kinds; a constant of another kind is a 'wrong-constant-type' error. */
  literal(accepted: readonly LiteralKind[], after: string): Constant {
    const token = this.current;
    if (isLiteralKind(token.kind) && accepted.includes(token.kind)) {
      this.advance();
      return constantOf(token, token.kind);
    }
    const expected =
      accepted.length === 1
        ? ['a string']
        : accepted === ORDERABLE
          ? ['a constant other than a boolean']
          : ['a constant'];
    if (isLiteralKind(token.kind)) {
      return this.fail(expected, {
        code: 'wrong-constant-type',
        message: `${after} does not take ${describeLiteralKind(token.kind)}: expected ${expected.join(' or ')}, found ${describeToken(token)}`,
      });
    }
    return this.fail(expected);
  }

  protected setConstant(operatorToken: Token): SetConstant {
    const open = this.current;
    if (open.kind !== '(') {
      const hint = isLiteralKind(open.kind) ? `IN takes a set in parentheses: IN (${open.text})` : undefined;
      return this.fail(["'('"], {
        code: isLiteralKind(open.kind) ? 'wrong-constant-type' : 'unexpected-token',
        ...(hint === undefined ? {} : { hint }),
      });
    }
    this.advance();
    const values: Constant[] = [];
    if (!this.at(')')) {
      values.push(this.literal(PRIMITIVE, `'${operatorToken.text}'`));
      while (this.eat(',') !== undefined) values.push(this.literal(PRIMITIVE, `'${operatorToken.text}'`));
    }
    const close = this.expectClosing(')', open, values.length === 0 ? ["')'", 'a constant'] : ["','", "')'"]);
    if (values.length === 0)
      this.warn('empty-set', { start: open.start, end: close.end }, 'the set is empty');
    return { kind: 'set', values, start: open.start, end: close.end };
  }
}
