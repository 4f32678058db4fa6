import { createHash } from 'node:crypto';

/** The namespace STIX 2.1 (section 2.9) fixes for UUIDv5 identifiers of SCOs. */
const STIX_SCO_NAMESPACE = Buffer.from('00abedb4aa42466c9c01fed23315a9b7', 'hex');

/**
 * A UUID from the SHA-1 of the SCO namespace and `name`, stamped with `version`.
 * Version 5 is RFC 4122 UUIDv5. Version 4 is used for objects STIX wants random ids for
 * (process, observed-data; the OASIS validator rejects a process id that is not v4): the bits are
 * still derived from `name`, so the same event always gives the same id.
 */
export function hashedUuid(name: string, version: 4 | 5): string {
  const hex = createHash('sha1').update(STIX_SCO_NAMESPACE).update(name, 'utf8').digest('hex');
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
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

/** `type--UUIDv5` over the canonical JSON of the ID-contributing properties (STIX 2.1 section 2.9). */
export function scoId(type: string, idContributing: Readonly<Record<string, unknown>>): string {
  return `${type}--${hashedUuid(canonicalJson(idContributing), 5)}`;
}

/** `type--UUID(v4 layout)` derived from `key`: deterministic, for types without ID-contributing properties. */
export function derivedId(type: string, key: string): string {
  return `${type}--${hashedUuid(`${type}\u0000${key}`, 4)}`;
}
