import { section, syntaxError, type ConformanceCase } from '../case.js';
import { at, observed, type JsonObject } from '../observations.js';

const rule = section('9.5.1 Observation Expression Qualifiers');
const fileAt = (name: string, seconds: number, count = 1): JsonObject =>
  observed([{ type: 'file', name }], { first: at(seconds), count });
const span = (name: string, from: number, to: number): JsonObject =>
  observed([{ type: 'file', name }], { first: at(from), last: at(to) });

const A = "[file:name = 'a']";
const B = "[file:name = 'b']";
const START = "START t'2020-01-01T00:01:40Z' STOP t'2020-01-01T00:03:20Z'"; // [100 s, 200 s)

const repeats: ConformanceCase[] = [
  rule(
    'REPEATS 2 TIMES holds with two matching observed-data',
    `${A} REPEATS 2 TIMES`,
    [fileAt('a', 0), fileAt('a', 9)],
    true,
  ),
  rule('REPEATS 2 TIMES fails with one', `${A} REPEATS 2 TIMES`, [fileAt('a', 0), fileAt('b', 9)], false),
  rule(
    'REPEATS counts the number_observed of one observed-data',
    `${A} REPEATS 3 TIMES`,
    [fileAt('a', 0, 3)],
    true,
  ),
  rule(
    'REPEATS needs enough observations in total',
    `${A} REPEATS 4 TIMES`,
    [fileAt('a', 0, 2), fileAt('a', 1)],
    false,
  ),
  rule(
    'REPEATS sums observations across observed-data',
    `${A} REPEATS 3 TIMES`,
    [fileAt('a', 0, 2), fileAt('a', 1)],
    true,
  ),
  rule('REPEATS 1 TIMES is the expression itself', `${A} REPEATS 1 TIMES`, [fileAt('a', 0)], true),
  rule(
    'REPEATS applies to the nearest expression: b plus 2 later c',
    "[file:name = 'b'] FOLLOWEDBY [file:name = 'c'] REPEATS 2 TIMES",
    [fileAt('b', 0), fileAt('c', 1), fileAt('c', 2)],
    true,
  ),
  rule(
    'REPEATS does not apply to the left of FOLLOWEDBY: one c is not enough',
    "[file:name = 'b'] FOLLOWEDBY [file:name = 'c'] REPEATS 2 TIMES",
    [fileAt('b', 0), fileAt('b', 1), fileAt('c', 2)],
    false,
  ),
  rule(
    'REPEATS on a parenthesised AND needs every side repeated',
    `(${A} AND ${B}) REPEATS 2 TIMES`,
    [fileAt('a', 0), fileAt('b', 1), fileAt('a', 2)],
    false,
  ),
  rule(
    'REPEATS on a parenthesised AND, satisfied',
    `(${A} AND ${B}) REPEATS 2 TIMES`,
    [fileAt('a', 0), fileAt('b', 1), fileAt('a', 2), fileAt('b', 3)],
    true,
  ),
  rule(
    'REPEATS on an OR counts either side',
    `(${A} OR ${B}) REPEATS 2 TIMES`,
    [fileAt('a', 0), fileAt('b', 1)],
    true,
  ),
  rule(
    'REPEATS 0 TIMES is invalid (x MUST be a positive integer)',
    `${A} REPEATS 0 TIMES`,
    [fileAt('a', 0)],
    syntaxError(27, '0'),
  ),
  rule('REPEATS with a float is invalid', `${A} REPEATS 1.5 TIMES`, [fileAt('a', 0)], syntaxError(27, '1.5')),
  rule(
    'REPEATS with a negative count is invalid',
    `${A} REPEATS -2 TIMES`,
    [fileAt('a', 0)],
    syntaxError(27),
  ),
];

const within: ConformanceCase[] = [
  rule(
    'WITHIN holds for observations closer than the window',
    `(${A} AND ${B}) WITHIN 10 SECONDS`,
    [fileAt('a', 0), fileAt('b', 5)],
    true,
  ),
  rule(
    'WITHIN fails for observations farther apart',
    `(${A} AND ${B}) WITHIN 10 SECONDS`,
    [fileAt('a', 0), fileAt('b', 20)],
    false,
  ),
  rule(
    'WITHIN excludes observations exactly the window apart (MUST NOT be equal to or later)',
    `(${A} AND ${B}) WITHIN 10 SECONDS`,
    [fileAt('a', 0), fileAt('b', 10)],
    false,
    { referenceDeviation: 'ref-within-inclusive' },
  ),
  rule(
    'WITHIN just inside the window',
    `(${A} AND ${B}) WITHIN 10 SECONDS`,
    [fileAt('a', 0), fileAt('b', 9.999)],
    true,
  ),
  rule(
    'WITHIN accepts a float window',
    `(${A} AND ${B}) WITHIN 2.5 SECONDS`,
    [fileAt('a', 0), fileAt('b', 2)],
    true,
  ),
  rule(
    'WITHIN a float window, outside',
    `(${A} AND ${B}) WITHIN 2.5 SECONDS`,
    [fileAt('a', 0), fileAt('b', 3)],
    false,
  ),
  rule(
    'WITHIN is order-independent',
    `(${A} AND ${B}) WITHIN 10 SECONDS`,
    [fileAt('b', 0), fileAt('a', 5)],
    true,
  ),
  rule(
    'WITHIN picks a close pair among several',
    `(${A} AND ${B}) WITHIN 10 SECONDS`,
    [fileAt('a', 0), fileAt('b', 50), fileAt('a', 45)],
    true,
  ),
  rule(
    'WITHIN over intervals: some instants close enough',
    `(${A} AND ${B}) WITHIN 10 SECONDS`,
    [span('a', 0, 100), span('b', 105, 200)],
    true,
  ),
  rule(
    'WITHIN over intervals: intervals too far apart',
    `(${A} AND ${B}) WITHIN 10 SECONDS`,
    [span('a', 0, 100), span('b', 120, 200)],
    false,
  ),
  rule('WITHIN on one observation expression holds', `${A} WITHIN 1 SECONDS`, [span('a', 0, 100)], true),
  rule(
    'WITHIN with FOLLOWEDBY',
    `(${A} FOLLOWEDBY ${B}) WITHIN 60 SECONDS`,
    [fileAt('a', 0), fileAt('b', 30)],
    true,
  ),
  rule(
    'WITHIN with FOLLOWEDBY, too late',
    `(${A} FOLLOWEDBY ${B}) WITHIN 60 SECONDS`,
    [fileAt('a', 0), fileAt('b', 90)],
    false,
  ),
  rule(
    'WITHIN after REPEATS constrains all repetitions',
    `${A} REPEATS 3 TIMES WITHIN 10 SECONDS`,
    [fileAt('a', 0), fileAt('a', 5), fileAt('a', 15)],
    false,
  ),
  rule(
    'WITHIN after REPEATS, all close',
    `${A} REPEATS 3 TIMES WITHIN 10 SECONDS`,
    [fileAt('a', 0), fileAt('a', 5), fileAt('a', 8)],
    true,
  ),
  rule(
    'WITHIN 0 SECONDS is invalid (x MUST be positive)',
    `${A} WITHIN 0 SECONDS`,
    [fileAt('a', 0)],
    syntaxError(26, '0'),
  ),
  rule('WITHIN needs the SECONDS keyword', `${A} WITHIN 5`, [fileAt('a', 0)], syntaxError(27, '')),
  rule(
    'WITHIN with a negative window is invalid',
    `${A} WITHIN -5 SECONDS`,
    [fileAt('a', 0)],
    syntaxError(26),
  ),
];

const startStop: ConformanceCase[] = [
  rule('START/STOP holds for an observation inside', `${A} ${START}`, [fileAt('a', 150)], true),
  rule('START is inclusive', `${A} ${START}`, [fileAt('a', 100)], true),
  rule('STOP is exclusive', `${A} ${START}`, [fileAt('a', 200)], false),
  rule('START/STOP fails before the start', `${A} ${START}`, [fileAt('a', 99)], false),
  rule('START/STOP fails after the stop', `${A} ${START}`, [fileAt('a', 201)], false),
  rule('START/STOP holds just before the stop', `${A} ${START}`, [fileAt('a', 199.999)], true),
  rule('START/STOP holds for an interval straddling the start', `${A} ${START}`, [span('a', 50, 150)], true),
  rule('START/STOP holds for an interval ending at the start', `${A} ${START}`, [span('a', 50, 100)], true),
  rule(
    'START/STOP fails for an interval starting at the stop',
    `${A} ${START}`,
    [span('a', 200, 300)],
    false,
  ),
  rule(
    'START/STOP holds for an interval covering the whole window',
    `${A} ${START}`,
    [span('a', 0, 300)],
    true,
  ),
  rule(
    'START/STOP applies to every observation of a parenthesised AND',
    `(${A} AND ${B}) ${START}`,
    [fileAt('a', 150), fileAt('b', 250)],
    false,
  ),
  rule(
    'START/STOP on a parenthesised AND, both inside',
    `(${A} AND ${B}) ${START}`,
    [fileAt('a', 150), fileAt('b', 160)],
    true,
  ),
  rule(
    'START/STOP with a match outside and another inside',
    `${A} ${START}`,
    [fileAt('a', 50), fileAt('a', 150)],
    true,
  ),
  rule(
    'START/STOP takes timestamp constants in 2.1 (a plain string is invalid)',
    `${A} START '2020-01-01T00:00:00Z' STOP '2020-01-02T00:00:00Z'`,
    [fileAt('a', 0)],
    syntaxError(25),
  ),
  rule('START needs STOP', `${A} START t'2020-01-01T00:00:00Z'`, [fileAt('a', 0)], syntaxError(48, '')),
];

const combined: ConformanceCase[] = [
  rule(
    'two qualifiers of one type are invalid (MUST NOT have more than one)',
    `${A} REPEATS 2 TIMES REPEATS 2 TIMES`,
    [fileAt('a', 0, 4)],
    syntaxError(35, 'REPEATS'),
    { referenceDeviation: 'ref-accepts-duplicate-qualifier' },
  ),
  rule(
    'two WITHIN qualifiers are invalid',
    `${A} WITHIN 5 SECONDS WITHIN 6 SECONDS`,
    [fileAt('a', 0)],
    syntaxError(36, 'WITHIN'),
    {
      referenceDeviation: 'ref-accepts-duplicate-qualifier',
    },
  ),
  rule(
    'REPEATS then WITHIN then START/STOP',
    `${A} REPEATS 2 TIMES WITHIN 10 SECONDS ${START}`,
    [fileAt('a', 150), fileAt('a', 155)],
    true,
  ),
  rule(
    'REPEATS then WITHIN then START/STOP, one outside',
    `${A} REPEATS 2 TIMES WITHIN 10 SECONDS ${START}`,
    [fileAt('a', 95), fileAt('a', 101)],
    false,
  ),
  rule(
    'the 9.5 example: ([a] AND [b] REPEATS 2 TIMES) WITHIN 10 SECONDS needs one a and two b',
    `(${A} AND ${B} REPEATS 2 TIMES) WITHIN 10 SECONDS`,
    [fileAt('a', 0), fileAt('b', 2), fileAt('b', 4)],
    true,
  ),
  rule(
    'the 9.5 example with only one b',
    `(${A} AND ${B} REPEATS 2 TIMES) WITHIN 10 SECONDS`,
    [fileAt('a', 0), fileAt('b', 2)],
    false,
  ),
];

// Shapes on which the differential test once caught our engine (greedy REPEATS, an exponential search).
const searchOrder: ConformanceCase[] = [
  rule(
    'REPEATS … WITHIN holds when some repetitions are close, whatever their order in the input',
    `${A} REPEATS 2 TIMES WITHIN 10 SECONDS`,
    [fileAt('a', 100), fileAt('a', 5), fileAt('a', 6)],
    true,
  ),
  rule(
    'REPEATS after FOLLOWEDBY: b plus 2 later a, with an earlier a in the input',
    `${B} FOLLOWEDBY ${A} REPEATS 2 TIMES`,
    [fileAt('a', 0), fileAt('b', 10), fileAt('a', 20), fileAt('a', 30)],
    true,
  ),
  rule(
    'REPEATS over an OR holding a REPEATS, not enough observations',
    `(${A} REPEATS 2 TIMES OR ${B}) REPEATS 3 TIMES`,
    [fileAt('a', 0), fileAt('a', 1), fileAt('a', 2)],
    false,
  ),
  rule(
    'REPEATS over an OR holding a REPEATS, enough observations',
    `(${A} REPEATS 2 TIMES OR ${B}) REPEATS 3 TIMES`,
    [fileAt('a', 0), fileAt('a', 1), fileAt('a', 2), fileAt('b', 3), fileAt('a', 4)],
    true,
  ),
];

export const qualifierCases: readonly ConformanceCase[] = [
  ...repeats,
  ...within,
  ...startStop,
  ...combined,
  ...searchOrder,
];
