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
  const normalized = nfc(likePattern);
  if (!normalized.includes('_')) return compileSegments(normalized.split('%'));
  let source = '';
  for (const ch of normalized) {
    source += ch === '%' ? '.*' : ch === '_' ? '.' : RE2JS.quote(ch);
  }
  const regex = RE2JS.compile(source, RE2JS.DOTALL);
  return (text) => regex.matches(text);
}

/**
 * A pattern of literals joined by `%` needs no regex: the first literal starts the text, the last ends it,
 * and the ones between occur in order in what is left (taking each at its leftmost place is never worse).
 */
function compileSegments(segments: readonly string[]): (text: string) => boolean {
  const [first = '', ...rest] = segments;
  if (rest.length === 0) return (text) => text === first;
  const last = rest.pop() ?? '';
  const minimum = segments.reduce((sum, segment) => sum + segment.length, 0);
  return (text) => {
    if (text.length < minimum || !text.startsWith(first) || !text.endsWith(last)) return false;
    let from = first.length;
    const end = text.length - last.length;
    for (const middle of rest) {
      const found = text.indexOf(middle, from);
      if (found === -1 || found + middle.length > end) return false;
      from = found + middle.length;
    }
    return true;
  };
}

/** The literal text before the first wildcard, for indexes (empty when the pattern starts with one). */
export function likeLiteralPrefix(likePattern: string): string {
  const normalized = nfc(likePattern);
  const end = normalized.search(/[%_]/);
  return end === -1 ? normalized : normalized.slice(0, end);
}

/** The literal text after the last wildcard, for indexes (empty when the pattern ends with one). */
export function likeLiteralSuffix(likePattern: string): string {
  const normalized = nfc(likePattern);
  const match = /[%_]([^%_]*)$/.exec(normalized);
  return match === null ? normalized : (match[1] ?? '');
}
