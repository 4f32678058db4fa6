import type { NetworkTrafficInput } from './sco.js';

/**
 * Application protocols named by the well-known port of the responding side (IANA service names,
 * lower case, as STIX `protocols` expects). Only ports whose service is unambiguous are listed.
 */
export const WELL_KNOWN_PORTS: ReadonlyMap<number, string> = new Map([
  [20, 'ftp-data'],
  [21, 'ftp'],
  [22, 'ssh'],
  [23, 'telnet'],
  [25, 'smtp'],
  [53, 'dns'],
  [80, 'http'],
  [110, 'pop3'],
  [123, 'ntp'],
  [143, 'imap'],
  [389, 'ldap'],
  [443, 'https'],
  [445, 'smb'],
  [465, 'smtps'],
  [636, 'ldaps'],
  [993, 'imaps'],
  [995, 'pop3s'],
  [2375, 'docker'],
  [2376, 'docker-s'],
  [2379, 'etcd-client'],
  [2380, 'etcd-server'],
  [3306, 'mysql'],
  [3389, 'ms-wbt-server'],
  [5432, 'postgresql'],
  [6379, 'redis'],
  [8080, 'http-alt'],
  [10250, 'kubelet'],
  [27017, 'mongodb'],
]);

/** `ipv4`/`ipv6` from an address family name (`AF_INET6`, `ipv6`, 10) or, failing that, from the address. */
export function networkLayer(family: unknown, address: string | undefined): string | undefined {
  if (typeof family === 'string') {
    const upper = family.toUpperCase();
    if (upper === 'AF_INET6' || upper === 'IPV6') return 'ipv6';
    if (upper === 'AF_INET' || upper === 'IPV4') return 'ipv4';
  }
  if (family === 10) return 'ipv6';
  if (family === 2) return 'ipv4';
  if (address === undefined) return undefined;
  return address.includes(':') ? 'ipv6' : 'ipv4';
}

const PROTOCOL_NUMBERS: ReadonlyMap<number, string> = new Map([
  [1, 'icmp'],
  [6, 'tcp'],
  [17, 'udp'],
  [58, 'ipv6-icmp'],
  [132, 'sctp'],
]);

/** `tcp`/`udp`/… from `IPPROTO_TCP`, `tcp`, `SOCK_STREAM` or a protocol number. */
export function transportLayer(protocol: unknown, socketType?: unknown): string | undefined {
  if (typeof protocol === 'number') return PROTOCOL_NUMBERS.get(protocol);
  if (typeof protocol === 'string' && protocol !== '') {
    const name = protocol.toLowerCase().replace(/^ipproto_/, '');
    if (name !== 'ip' && name !== '0') return name;
  }
  if (socketType === 'SOCK_STREAM') return 'tcp';
  if (socketType === 'SOCK_DGRAM') return 'udp';
  return undefined;
}

export interface Endpoint {
  readonly address?: string;
  readonly port?: number;
}

/**
 * STIX `src` is the side that opened the connection. `inbound` says the local side accepted it
 * (the remote peer is then src); when unknown, a local well-known port talking to a remote
 * ephemeral port marks a server socket, hence inbound.
 */
export function connection(
  local: Endpoint,
  remote: Endpoint,
  layers: { network?: string; transport?: string },
  inbound: boolean | undefined,
): NetworkTrafficInput {
  const accepted = inbound ?? looksLikeServerSide(local.port, remote.port);
  const [src, dst] = accepted ? [remote, local] : [local, remote];
  const protocols: string[] = [];
  if (layers.network !== undefined) protocols.push(layers.network);
  if (layers.transport !== undefined) protocols.push(layers.transport);
  const application = dst.port === undefined ? undefined : WELL_KNOWN_PORTS.get(dst.port);
  if (application !== undefined) protocols.push(application);
  return {
    srcAddress: src.address,
    dstAddress: dst.address,
    srcPort: src.port,
    dstPort: dst.port,
    protocols,
  };
}

function looksLikeServerSide(localPort: number | undefined, remotePort: number | undefined): boolean {
  if (localPort === undefined || remotePort === undefined) return false;
  return WELL_KNOWN_PORTS.has(localPort) && !WELL_KNOWN_PORTS.has(remotePort) && remotePort >= 1024;
}
