import { section, syntaxError, type ConformanceCase } from '../case.js';
import { observed } from '../observations.js';

const expressions = section('9.4 Pattern Expressions');
const grammar = section('9.4 Pattern Expressions (invalid patterns MUST NOT match)');
const sample = [observed([{ type: 'file', name: 'a', size: 1 }])];

/**
 * An invalid pattern whose offending token starts at the first occurrence of `fragment`
 * after `after` (or at the end of the input when fragment is ''): the column is read off the pattern.
 */
function invalid(
  rule: string,
  pattern: string,
  fragment: string,
  token?: string,
  after = 0,
): ConformanceCase {
  const offset = fragment === '' ? pattern.length : pattern.indexOf(fragment, after);
  if (offset < 0) throw new Error(`${fragment} is not in ${pattern}`);
  return grammar(rule, pattern, sample, syntaxError(offset + 1, token ?? (fragment === '' ? '' : undefined)));
}

const whitespace: ConformanceCase[] = [
  expressions('no whitespace is needed around operators', "[file:name='a']", sample, true),
  expressions('tabs and line feeds delimit tokens', "[\tfile:name\n=\r\n'a'\t]", sample, true),
  expressions('runs of whitespace count as one', "[   file:name    =    'a'   ]", sample, true),
  expressions(
    'whitespace around observation operators',
    "[file:name = 'a']\n\nOR\t[file:name = 'b']",
    sample,
    true,
  ),
  expressions('whitespace before and after the pattern', "  [file:name = 'a']  ", sample, true),
  expressions('a no-break space (WSpace=Y) is whitespace', "[file:name\u00a0=\u00a0'a']", sample, true),
  expressions('an em space (WSpace=Y) is whitespace', "[file:name\u2003=\u2003'a']", sample, true),
  expressions('whitespace before a qualifier keyword', "[file:name = 'a']\nREPEATS\n1\nTIMES", sample, true),
];

const errors: ConformanceCase[] = [
  invalid('the empty pattern', '', '', ''),
  invalid('only whitespace', '   ', '', ''),
  invalid('a comparison without brackets', "file:name = 'a'", 'file'),
  invalid('an empty observation expression', '[]', ']', ']'),
  invalid('a missing closing bracket', "[file:name = 'a'", '', ''),
  invalid('a missing opening bracket', "file:name = 'a']", 'file'),
  invalid('a stray closing bracket', "[file:name = 'a']]", ']', ']', 17),
  invalid('text after the pattern', "[file:name = 'a'] extra", 'extra', 'extra'),
  invalid('a missing object type', "[:name = 'a']", ':', ':'),
  invalid('a missing colon after the object type', "[file.name = 'a']", '.'),
  invalid('a missing property', "[file: = 'a']", '=', '='),
  invalid('a missing operator', "[file:name 'a']", "'a'"),
  invalid('a missing constant', '[file:name = ]', ']', ']'),
  invalid('CONTAINS is not a STIX operator', "[file:name CONTAINS 'a']", 'CONTAINS', 'CONTAINS'),
  invalid('EXISTS comes before the path, not after', '[file:name EXISTS]', 'EXISTS', 'EXISTS'),
  invalid('EXISTS needs a path', '[EXISTS]', ']', ']'),
  // NOT may start a comparison (NOT EXISTS), so the offending token is `file`, where EXISTS was expected.
  invalid('NOT goes between the path and the operator', "[NOT file:name = 'a']", 'file', 'file'),
  invalid('a dangling AND inside brackets', "[file:name = 'a' AND]", ']', ']'),
  invalid('a dangling OR inside brackets', "[file:name = 'a' OR ]", ']', ']'),
  invalid('a dangling observation AND', "[file:name = 'a'] AND", '', ''),
  invalid('a dangling FOLLOWEDBY', "[file:name = 'a'] FOLLOWEDBY", '', ''),
  invalid(
    'two observation expressions without an operator',
    "[file:name = 'a'] [file:name = 'b']",
    '[',
    '[',
    1,
  ),
  invalid('an unclosed parenthesis', "([file:name = 'a']", '', ''),
  invalid('an unopened parenthesis', "[file:name = 'a'])", ')', ')'),
  invalid('an unclosed parenthesis inside brackets', "[(file:name = 'a']", ']', ']'),
  invalid('IN needs a parenthesised set', "[file:name IN 'a']", "'a'"),
  invalid('IN with a trailing comma', "[file:name IN ('a',)]", ')', ')'),
  invalid('LIKE needs a string', '[file:name LIKE 1]', '1', '1'),
  invalid('MATCHES needs a string', '[file:name MATCHES 1]', '1', '1'),
  invalid('ISSUBSET needs a string', '[file:name ISSUBSET 1]', '1', '1'),
  invalid('an object type cannot start with a digit', "[1file:name = 'a']", '1file'),
  invalid('a bare word is not a constant', '[file:name = abc]', 'abc', 'abc'),
  invalid('keywords are upper case: lower-case and', "[file:name = 'a'] and [file:name = 'b']", 'and', 'and'),
  invalid('a list index must be an integer or *', "[file:x_tags[a] = 'a']", 'a]', 'a'),
  invalid('a list index needs its closing bracket', "[file:x_tags[0 = 'a']", '=', '='),
  invalid('a double-quoted property name is not STIX', '[file:"name" = \'a\']', '"'),
  invalid(
    'an observation operator inside brackets is a comparison operator, not FOLLOWEDBY',
    "[file:name = 'a' FOLLOWEDBY file:name = 'b']",
    'FOLLOWEDBY',
    'FOLLOWEDBY',
  ),
  invalid('a qualifier inside brackets', "[file:name = 'a' WITHIN 5 SECONDS]", 'WITHIN', 'WITHIN'),
  invalid('a qualifier without an observation expression', 'WITHIN 5 SECONDS', 'WITHIN', 'WITHIN'),
  invalid('an unterminated string at the end', "[file:name = 'a", "'a"),
  invalid('an unterminated hex constant', "[file:name = h'61", "h'61"),
  invalid('a character outside the language', "[file:name = 'a'] # comment", '#', '#'),
];

export const syntaxCases: readonly ConformanceCase[] = [...whitespace, ...errors];
