import type { SkipReason } from '../contracts.js';

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

export type Decoded =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: SkipReason; readonly detail: string };

// eslint-disable-next-line no-control-regex -- control characters are exactly what marks binary garbage.
const BINARY = /[\u0000-\u0008\u000e-\u001f\ufffd]/;

/**
 * Decodes one line of JSON. Never throws. `lossless` rewrites integers beyond 2^53 as exact
 * decimal strings first; without it the line is parsed as it is (the common, fast path), and the
 * mapping detects any number JSON.parse may have rounded (fields.ts `RoundedNumberError`), so the
 * observer decodes that line again, losslessly.
 */
export function decodeLine(text: string, maxLineBytes: number, lossless: boolean): Decoded {
  if (
    text.length > maxLineBytes ||
    (text.length * 3 > maxLineBytes && Buffer.byteLength(text) > maxLineBytes)
  ) {
    return { ok: false, reason: 'line-too-long', detail: `line longer than ${maxLineBytes} bytes` };
  }
  const first = firstSignificant(text);
  if (first === undefined) return { ok: false, reason: 'irrelevant', detail: 'blank line' };
  if (first !== '{' && first !== '[') {
    return BINARY.test(text)
      ? { ok: false, reason: 'binary', detail: 'control or invalid UTF-8 bytes in the line' }
      : { ok: false, reason: 'unknown-format', detail: `not JSON: ${preview(text)}` };
  }
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const source = lossless ? quoteUnsafeIntegers(json) : json;
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch (error) {
    if (BINARY.test(text))
      return { ok: false, reason: 'binary', detail: 'control or invalid UTF-8 bytes in the line' };
    return {
      ok: false,
      reason: 'malformed-json',
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}

function firstSignificant(text: string): string | undefined {
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    if (char !== ' ' && char !== '\t' && char !== '\r' && char !== '\n' && char !== '\ufeff') return char;
  }
  return undefined;
}

function preview(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed;
}

/**
 * Rewrites every integer literal outside strings that JSON.parse would round (beyond ±2^53) as a
 * JSON string of its exact digits. Fractions and exponents are left alone: they are floats anyway.
 * Invalid JSON stays invalid, so JSON.parse still reports it.
 */
export function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 0x22) {
      index = skipString(text, index);
    } else if (code === 0x2d || (code >= 0x30 && code <= 0x39)) {
      const end = numberEnd(text, index);
      const literal = text.slice(index, end);
      if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(copiedUpTo, index)}"${literal}"`;
        copiedUpTo = end;
      }
      index = end;
    } else {
      index++;
    }
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** Index just past the string that starts at `start` (a `"`). */
function skipString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 0x5c) index += 2;
    else if (code === 0x22) return index + 1;
    else index++;
  }
  return index;
}

function numberEnd(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    const numeric =
      (code >= 0x30 && code <= 0x39) ||
      code === 0x2e ||
      code === 0x65 ||
      code === 0x45 ||
      code === 0x2b ||
      code === 0x2d;
    if (!numeric) break;
    index++;
  }
  return index;
}
