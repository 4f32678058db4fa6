import { arrayAt, integerAt, isRecord, stringAt, textAt, type JsonRecord } from './fields.js';
import { connection, networkLayer, transportLayer } from './network.js';
import type { ScoSet } from './sco.js';

/** Kprobe argument kinds that carry a path (tetragon.proto KprobeFile, KprobePath, KprobeLinuxBinprm). */
const PATH_ARGUMENTS = ['file_arg', 'path_arg', 'linux_binprm_arg'] as const;

/**
 * Adds the SCOs the arguments (and return value) of a kprobe/tracepoint/uprobe/lsm event describe:
 * paths become `file` + `directory`, sockets become `network-traffic`. A string argument holding an
 * absolute path (e.g. the names given to symlinkat) counts as a path.
 */
export function addArgumentObjects(set: ScoSet, body: JsonRecord, functionName: string | undefined): void {
  const inbound = functionName !== undefined && /accept/i.test(functionName) ? true : undefined;
  const args = arrayAt(body, 'args') ?? [];
  for (const argument of args) addArgument(set, argument, inbound);
  addArgument(set, body.return, inbound);
}

function addArgument(set: ScoSet, argument: unknown, inbound: boolean | undefined): void {
  if (!isRecord(argument)) return;
  for (const kind of PATH_ARGUMENTS) {
    const value = argument[kind];
    const path = isRecord(value) ? textAt(value, 'path') : undefined;
    if (path !== undefined) set.namedFile(path);
  }
  const text = stringAt(argument, 'string_arg');
  if (text !== undefined && text.startsWith('/') && !text.includes('\u0000')) set.namedFile(text);
  const sock = argument.sock_arg;
  if (isRecord(sock)) addSocket(set, sock, inbound);
  const skb = argument.skb_arg;
  if (isRecord(skb)) addSocket(set, skb, undefined);
  const sockaddr = argument.sockaddr_arg;
  if (isRecord(sockaddr)) addSocketAddress(set, sockaddr);
}

/** KprobeSock / KprobeSkb: saddr/sport are the local (or packet source) side. */
function addSocket(set: ScoSet, sock: JsonRecord, inbound: boolean | undefined): void {
  const local = { address: textAt(sock, 'saddr'), port: integerAt(sock, 'sport') };
  const remote = { address: textAt(sock, 'daddr'), port: integerAt(sock, 'dport') };
  const layers = {
    network: networkLayer(sock.family, local.address ?? remote.address),
    transport: transportLayer(sock.protocol ?? sock.proto, sock.type),
  };
  set.connection(connection(local, remote, layers, inbound));
}

/** KprobeSockaddr (connect/bind address): only the far end is known. */
function addSocketAddress(set: ScoSet, sockaddr: JsonRecord): void {
  const address = textAt(sockaddr, 'addr');
  if (address === undefined) return;
  const layers = { network: networkLayer(sockaddr.family, address) };
  set.connection(connection({}, { address, port: integerAt(sockaddr, 'port') }, layers, false));
}
