/**
 * IPv4 and IPv6 addresses and CIDR networks for ISSUBSET / ISSUPERSET (STIX 2.1 Part 9, comparison operators).
 * The specification speaks of IP addresses and subnets without restricting the family; the reference matcher
 * knows only IPv4. Families never contain each other (an IPv4-mapped IPv6 address is an IPv6 address here).
 */
export interface IpNetwork {
  readonly family: 4 | 6;
  /** The address as an unsigned integer of 32 or 128 bits. */
  readonly address: bigint;
  /** Prefix length: 0–32 for IPv4, 0–128 for IPv6; a bare address has the full length. */
  readonly prefix: number;
}

const IPV4_OCTET = /^(?:0|[1-9]\d{0,2})$/;
const IPV6_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const PREFIX = /^(?:0|[1-9]\d{0,2})$/;

/** `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or `ipv6/n`; undefined for anything else. */
export function parseIpNetwork(text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const ipv4 = parseIpv4(addressText);
  const parsed = ipv4 !== undefined ? { family: 4 as const, address: ipv4 } : ipv6Network(addressText);
  if (parsed === undefined) return undefined;
  const bits = parsed.family === 4 ? 32 : 128;
  if (slash === -1) return { ...parsed, prefix: bits };
  const prefixText = text.slice(slash + 1);
  if (!PREFIX.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= bits ? { ...parsed, prefix } : undefined;
}

function ipv6Network(text: string): { family: 6; address: bigint } | undefined {
  const address = parseIpv6(text);
  return address === undefined ? undefined : { family: 6, address };
}

/** Strict dotted-quad decimal (no octal, hex or shortened forms). */
export function parseIpv4(text: string): bigint | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0n;
  for (const octet of octets) {
    if (!IPV4_OCTET.test(octet)) return undefined;
    const n = Number(octet);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** RFC 4291 §2.2 text forms: eight groups, `::` once, and an optional dotted-quad tail. */
export function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groupsOf(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...(new Array(missing).fill(0) as number[]), ...tail];
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/** Colon-separated hex groups; a dotted quad may only end the address (`allowIpv4Tail`). */
function groupsOf(text: string, allowIpv4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (const [i, part] of parts.entries()) {
    if (allowIpv4Tail && i === parts.length - 1 && part.includes('.')) {
      const ipv4 = parseIpv4(part);
      if (ipv4 === undefined) return undefined;
      groups.push(Number(ipv4 >> 16n), Number(ipv4 & 0xffffn));
    } else if (IPV6_GROUP.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** Whether `inner` (an address or network) lies within `outer`: same family, outer prefix no longer, same prefix bits. */
export function networkContains(outer: IpNetwork, inner: IpNetwork): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const hostBits = BigInt((outer.family === 4 ? 32 : 128) - outer.prefix);
  return outer.address >> hostBits === inner.address >> hostBits;
}

interface Ipv4Network {
  /** Unsigned 32-bit address. */
  readonly address: number;
  readonly prefix: number;
}

/**
 * `value ISSUBSET constant` ('inside') or `value ISSUPERSET constant` ('around') as a test on the value's text,
 * compiled once. IPv4 values are parsed without BigInt or allocation: this runs for every event.
 */
export function compileNetworkRelation(
  constant: IpNetwork,
  relation: 'inside' | 'around',
): (text: string) => boolean {
  if (constant.family === 4) {
    const outer = { address: Number(constant.address), prefix: constant.prefix };
    return (text) => {
      const value = parseIpv4Network(text);
      if (value === undefined) return false;
      return relation === 'inside' ? ipv4Contains(outer, value) : ipv4Contains(value, outer);
    };
  }
  return (text) => {
    if (!text.includes(':')) return false;
    const value = parseIpNetwork(text);
    if (value === undefined) return false;
    return relation === 'inside' ? networkContains(constant, value) : networkContains(value, constant);
  };
}

function ipv4Contains(outer: Ipv4Network, inner: Ipv4Network): boolean {
  if (outer.prefix > inner.prefix) return false;
  const hostBits = 32 - outer.prefix;
  return hostBits === 32 || outer.address >>> hostBits === inner.address >>> hostBits;
}

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const DOT = 46;
const SLASH = 47;

/** The same strict syntax as parseIpNetwork, IPv4 only, in one pass over the characters. */
function parseIpv4Network(text: string): Ipv4Network | undefined {
  let address = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= DIGIT_0 && c <= DIGIT_9) {
      if (digits > 0 && octet === 0) return undefined; // a leading zero
      octet = octet * 10 + (c - DIGIT_0);
      digits += 1;
      if (octet > 255) return undefined;
    } else if (c === DOT && digits > 0 && dots < 3) {
      address = address * 256 + octet;
      octet = 0;
      digits = 0;
      dots += 1;
    } else if (c === SLASH) {
      break;
    } else {
      return undefined;
    }
  }
  if (digits === 0 || dots !== 3) return undefined;
  address = address * 256 + octet;
  if (i === text.length) return { address, prefix: 32 };
  const prefixText = text.slice(i + 1);
  if (!PREFIX.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= 32 ? { address, prefix } : undefined;
}
