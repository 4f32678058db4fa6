import { hash } from 'node:crypto';

/** The namespace STIX 2.1 (section 2.9) fixes for UUIDv5 identifiers of SCOs. */
const STIX_SCO_NAMESPACE_TEXT = '00abedb4-aa42-466c-9c01-fed23315a9b7';
const STIX_SCO_NAMESPACE = Buffer.from(STIX_SCO_NAMESPACE_TEXT.replaceAll('-', ''), 'hex');

/** An RFC 4122 name-based UUID from the SHA-1 of the STIX SCO namespace and `name`, stamped with `version` (5 for UUIDv5). */
export function hashedUuid(name: string, version: 4 | 5): string {
  // One-shot hash: several times cheaper than createHash() for inputs this small. The name is written
  // after the namespace in one reused buffer, when it surely fits, rather than into two new ones joined.
  const fits = STIX_SCO_NAMESPACE.length + name.length * 3 <= nameBuffer.length;
  const bytes = fits
    ? nameBuffer.subarray(0, STIX_SCO_NAMESPACE.length + nameBuffer.write(name, STIX_SCO_NAMESPACE.length))
    : Buffer.concat([STIX_SCO_NAMESPACE, Buffer.from(name, 'utf8')]);
  return uuidFromHex(hash('sha1', bytes, 'hex'), version);
}

/** The namespace, then room for a name (at most 3 bytes per UTF-16 unit). */
const nameBuffer = Buffer.alloc(4096);
STIX_SCO_NAMESPACE.copy(nameBuffer);

/** The first 128 bits of a hex digest as a UUID with `version` and the RFC 4122 variant. */
function uuidFromHex(hex: string, version: 4 | 5): string {
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return (
    `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}${hex.slice(13, 16)}-` +
    `${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  );
}

/**
 * JSON with object keys sorted at every level: the JSON Canonicalization Scheme (RFC 8785) that
 * STIX 2.1 prescribes for the name of a UUIDv5, for the values this project produces
 * (strings, safe integers, booleans, arrays and plain objects). Written out by hand: it runs for
 * objects made per event (network traffic), and is about twice as fast as sorting through
 * JSON.stringify's replacer.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return quoted(value);
  // Undefined only reaches here inside an array, where JSON writes it as null.
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ',';
      out += canonicalJson(value[index]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${quoted(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

/** Printable ASCII other than `"` and `\`: a string of only these is quoted as it is. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function quoted(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** `type--UUIDv5` over the canonical JSON of the ID-contributing properties (STIX 2.1 section 2.9). */
export function deterministicId(type: string, idContributing: Readonly<Record<string, unknown>>): string {
  return `${type}--${hashedUuid(canonicalJson(idContributing), 5)}`;
}

/**
 * `type--UUID(v4 layout)` derived from `key`: deterministic, for types without ID-contributing
 * properties. The SHA-1 is over the text `<namespace uuid><type>NUL<key>` (a string, so no buffers
 * are allocated on this per-event path).
 */
export function derivedId(type: string, key: string): string {
  return `${type}--${uuidFromHex(hash('sha1', `${STIX_SCO_NAMESPACE_TEXT}${type}\u0000${key}`, 'hex'), 4)}`;
}
