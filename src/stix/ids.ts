import { hash } from 'node:crypto';

/** The namespace STIX 2.1 (section 2.9) fixes for UUIDv5 identifiers of SCOs. */
const STIX_SCO_NAMESPACE_TEXT = '00abedb4-aa42-466c-9c01-fed23315a9b7';
const STIX_SCO_NAMESPACE = Buffer.from(STIX_SCO_NAMESPACE_TEXT.replaceAll('-', ''), 'hex');

/** An RFC 4122 name-based UUID from the SHA-1 of the STIX SCO namespace and `name`, stamped with `version` (5 for UUIDv5). */
export function hashedUuid(name: string, version: 4 | 5): string {
  // One-shot hash: several times cheaper than createHash() for inputs this small.
  return uuidFromHex(
    hash('sha1', Buffer.concat([STIX_SCO_NAMESPACE, Buffer.from(name, 'utf8')]), 'hex'),
    version,
  );
}

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
 * (strings, safe integers, booleans, arrays and plain objects).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  // Flat objects (the ID-contributing properties of every SCO here): an array replacer makes
  // JSON.stringify write the keys in the order given, natively.
  if (!Array.isArray(value) && isFlat(value as Record<string, unknown>)) {
    return JSON.stringify(value, Object.keys(value).sort());
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
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

/** No nested objects (arrays of primitives allowed): the array replacer of JSON.stringify would filter their keys. */
function isFlat(record: Record<string, unknown>): boolean {
  for (const key in record) {
    const value = record[key];
    if (typeof value !== 'object' || value === null) continue;
    if (!Array.isArray(value) || value.some((item) => typeof item === 'object' && item !== null))
      return false;
  }
  return true;
}
