/**
 * LIKE (STIX 2.1 Part 9, comparison operators): SQL LIKE, where `%` matches any sequence of zero or more
 * characters and `_` exactly one, against the whole value; both sides NFC-normalised, as the reference does.
 * Deviation: the reference translates to a Python regex in which `%`/`_` do not match a newline and the end
 * may precede a final newline; SQL LIKE has no such exceptions, so we match newlines like any character.
 */
import { RE2JS } from 're2js';
import { nfc } from './strings.js';

/** A LIKE operand compiled once; tests an already NFC-normalised string against the whole pattern. */
export function compileLike(likePattern: string): (text: string) => boolean {
  let source = '';
  for (const ch of nfc(likePattern)) {
    source += ch === '%' ? '.*' : ch === '_' ? '.' : RE2JS.quote(ch);
  }
  const regex = RE2JS.compile(source, RE2JS.DOTALL);
  return (text) => regex.matches(text);
}

/** The literal text before the first wildcard, for indexes (empty when the pattern starts with one). */
export function likeLiteralPrefix(likePattern: string): string {
  const normalized = nfc(likePattern);
  const end = normalized.search(/[%_]/);
  return end === -1 ? normalized : normalized.slice(0, end);
}
