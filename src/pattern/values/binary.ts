/**
 * Binary values: `b'…'`/`h'…'` constants and the `*_bin`/`*_hex` properties of objects.
 * STIX 2.1 Part 9 (comparison operators): a binary constant compared with a string property compares the
 * string's code points as bytes, and only when every code point is below 256; otherwise the comparison is false.
 */

const BASE64_SYNTAX = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX_SYNTAX = /^(?:[0-9A-Fa-f]{2})*$/;

/** Strict standard base64 (padding required); undefined when malformed. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64_SYNTAX.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** An even number of hex digits; undefined when malformed. */
export function decodeHex(text: string): Uint8Array | undefined {
  if (!HEX_SYNTAX.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** The string's code points as bytes, or undefined when one is 256 or above (then it cannot equal binary). */
export function latin1Bytes(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit > 0xff) return undefined;
    bytes[i] = unit;
  }
  return bytes;
}

/** Whether every code point is below 256 (surrogates never are), so the text can be read as bytes. */
export function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}

/** Bytes as a string of code points 0–255 (one character per byte), so string regexes can scan them. */
export function bytesToLatin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

/** Lexicographic byte order: negative, zero or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 decoding; undefined when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}
