/**
 * Strings compare by Unicode code point (as the reference matcher's Python strings do), not by UTF-16 unit:
 * the two orders differ once a character above U+FFFF meets one in U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Only a surrogate against a non-surrogate at or above U+E000 needs the code-point view.
      const xHigh = x >= 0xd800 && x <= 0xdfff;
      const yHigh = y >= 0xd800 && y <= 0xdfff;
      if (xHigh !== yHigh && (xHigh ? y : x) >= 0xe000) return xHigh ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

/** Any character from U+0300 on; a string without one is already in NFC (nothing below composes). */
// eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose
const MAY_NEED_NORMALIZING = /[^\u0000-\u02ff]/;

/** NFC, the normal form LIKE and MATCHES compare in (as the reference matcher does); cheap for plain text. */
export function nfc(text: string): string {
  return MAY_NEED_NORMALIZING.test(text) ? text.normalize('NFC') : text;
}
