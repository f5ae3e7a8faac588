import { BlockList, isIP } from 'node:net';

// The entries of STRANGLER_UPSTREAM_ALLOW, read and matched (the decision is in upstream-allow.ts).

type Family = 'ipv4' | 'ipv6';

/** One entry of the allow-list. `explicit`: given by the operator, so it may allow a special host or port. */
export type AllowEntry =
  | { readonly kind: 'network'; readonly text: string; readonly list: BlockList; readonly explicit: boolean }
  | {
      readonly kind: 'address';
      readonly text: string;
      readonly list: BlockList;
      readonly port?: number;
      readonly explicit: boolean;
    }
  | {
      readonly kind: 'name';
      readonly text: string;
      readonly name: string;
      readonly port?: number;
      readonly explicit: boolean;
    }
  | { readonly kind: 'suffix'; readonly text: string; readonly suffix: string; readonly explicit: boolean };

const NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;
export const familyOf = (address: string): Family => (isIP(address) === 6 ? 'ipv6' : 'ipv4');
const single = (address: string) => {
  const list = new BlockList();
  list.addAddress(address, familyOf(address));
  return list;
};

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : undefined;
}

/**
 * Reads one allow-list entry: a CIDR network (`10.0.0.0/8`, `fd00::/8`), an address
 * (`10.1.2.3`, `::1`, `[fd00::1]`), a host name (`catalog`, `catalog.internal`), any of
 * those two with a port (`10.1.2.3:6379`, `[fd00::1]:22`, `catalog:3001`), or every name under a
 * domain (`*.svc.cluster.local`). Throws an Error saying what is wrong.
 */
export function parseAllowEntry(raw: string, explicit = true): AllowEntry {
  const text = raw.trim().toLowerCase();
  const fail = (why: string): never => {
    throw new Error(`"${raw}" ${why}`);
  };
  if (text === '') fail('is empty');
  if (text.includes('://')) fail('is a URL: list its host, host:port or network');
  if (text.includes('/')) {
    const [address = '', bits = ''] = text.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    if (family === 0 || !/^\d{1,3}$/.test(bits) || Number(bits) > max)
      fail(`is not a CIDR network (such as 10.0.0.0/8 or fd00::/8)`);
    const list = new BlockList();
    list.addSubnet(address, Number(bits), familyOf(address));
    return { kind: 'network', text, list, explicit };
  }
  if (text.startsWith('[')) {
    const match = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
    const address = match?.[1] ?? '';
    const port = match?.[2] === undefined ? undefined : parsePort(match[2]);
    if (isIP(address) !== 6 || (match?.[2] !== undefined && port === undefined))
      fail('is not an IPv6 address in brackets, with an optional :port (1 to 65535)');
    return { kind: 'address', text, list: single(address), port, explicit };
  }
  if (isIP(text) !== 0) return { kind: 'address', text, list: single(text), explicit };
  if (text.startsWith('*.')) {
    const suffix = text.slice(2).replace(/\.$/, '');
    if (!NAME.test(suffix)) fail('is not *. followed by a domain name');
    return { kind: 'suffix', text, suffix, explicit };
  }
  const colon = text.lastIndexOf(':');
  const host = (colon === -1 ? text : text.slice(0, colon)).replace(/\.$/, '');
  const port = colon === -1 ? undefined : parsePort(text.slice(colon + 1));
  if (colon !== -1 && port === undefined) fail('has a port that is not 1 to 65535');
  if (isIP(host) === 4) return { kind: 'address', text, list: single(host), port, explicit };
  if (!NAME.test(host)) fail('is not a host name, an address or a CIDR network');
  return { kind: 'name', text, name: host, port, explicit };
}

/** Whether `entry` names this very host (and port, when the entry has one); `family` is `isIP(host)`. */
export function entryNames(entry: AllowEntry, host: string, family: number, port: number): boolean {
  if (entry.kind === 'address')
    return family !== 0 && entry.list.check(host, familyOf(host)) && (entry.port ?? port) === port;
  if (entry.kind === 'name') return family === 0 && entry.name === host && (entry.port ?? port) === port;
  return false;
}

/** Whether `entry` allows this host and port. */
export function entryCovers(entry: AllowEntry, host: string, family: number, port: number): boolean {
  if (entry.kind === 'network') return family !== 0 && entry.list.check(host, familyOf(host));
  if (entry.kind === 'suffix') return family === 0 && host.endsWith(`.${entry.suffix}`);
  return entryNames(entry, host, family, port);
}
