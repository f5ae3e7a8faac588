import { BlockList, isIP } from 'node:net';
import type { RuleSetCheck } from './check-rule-set';

/**
 * Ports of well-known services that do not speak HTTP to a facade (or are a machine's control
 * plane): an upstream on one of them is refused unless its exact `host:port` is allowed.
 */
export const SERVICE_PORTS: ReadonlyMap<number, string> = new Map([
  [22, 'SSH'],
  [23, 'Telnet'],
  [25, 'SMTP'],
  [53, 'DNS'],
  [110, 'POP3'],
  [111, 'RPC portmapper'],
  [135, 'MS RPC'],
  [139, 'NetBIOS'],
  [143, 'IMAP'],
  [389, 'LDAP'],
  [445, 'SMB'],
  [465, 'SMTPS'],
  [587, 'SMTP submission'],
  [636, 'LDAPS'],
  [993, 'IMAPS'],
  [995, 'POP3S'],
  [1433, 'SQL Server'],
  [1521, 'Oracle'],
  [2049, 'NFS'],
  [2375, 'the Docker API'],
  [2376, 'the Docker API'],
  [2379, 'etcd'],
  [2380, 'etcd'],
  [3306, 'MySQL'],
  [3389, 'RDP'],
  [4222, 'NATS'],
  [5432, 'PostgreSQL'],
  [5672, 'AMQP'],
  [6379, 'Redis'],
  [6443, 'the Kubernetes API'],
  [9042, 'Cassandra'],
  [9092, 'Kafka'],
  [10250, 'the kubelet'],
  [11211, 'Memcached'],
  [26379, 'Redis Sentinel'],
  [27017, 'MongoDB'],
]);

/** Cloud instance metadata services, by address (besides all of link-local) and by name. */
const METADATA_ADDRESSES = ['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200', '168.63.129.16'];
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');
const METADATA = new BlockList();
for (const address of METADATA_ADDRESSES) METADATA.addAddress(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** The default allow-list besides the rules file's hosts: loopback. */
export const LOOPBACK_ALLOW = ['127.0.0.0/8', '::1', 'localhost'] as const;

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

export interface UpstreamAllowList {
  readonly entries: readonly AllowEntry[];
  /** Where the list comes from, for messages (`STRANGLER_UPSTREAM_ALLOW`, or the default). */
  readonly source: string;
}

export type UpstreamDecision = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;
const familyOf = (address: string): Family => (isIP(address) === 6 ? 'ipv6' : 'ipv4');
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

/** An allow-list from entries (see {@link parseAllowEntry}); throws on the first bad entry. */
export function upstreamAllowList(entries: readonly string[], source: string, explicit = true): UpstreamAllowList {
  return { entries: entries.map((entry) => parseAllowEntry(entry, explicit)), source };
}

/** The default: loopback and the hosts of the rules file loaded at start (without their ports). */
export function defaultAllowList(rulesFileUrls: readonly string[] = []): UpstreamAllowList {
  const hosts = new Set<string>(LOOPBACK_ALLOW);
  for (const url of rulesFileUrls) {
    const host = hostOf(url);
    if (host) hosts.add(isIP(host) === 6 ? `[${host}]` : host);
  }
  return upstreamAllowList([...hosts], 'the default (loopback and the rules file’s hosts)', false);
}

/** The host of a URL as compared: lower case, without IPv6 brackets or a trailing dot; undefined if no URL. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

/** Whether `entry` names this very host (and port, when the entry has one). */
function names(entry: AllowEntry, host: string, family: number, port: number): boolean {
  if (entry.kind === 'address')
    return family !== 0 && entry.list.check(host, familyOf(host)) && (entry.port ?? port) === port;
  if (entry.kind === 'name') return family === 0 && entry.name === host && (entry.port ?? port) === port;
  return false;
}

function covers(entry: AllowEntry, host: string, family: number, port: number): boolean {
  if (entry.kind === 'network') return family !== 0 && entry.list.check(host, familyOf(host));
  if (entry.kind === 'suffix') return family === 0 && host.endsWith(`.${entry.suffix}`);
  return names(entry, host, family, port);
}

/**
 * Why no allow-list can allow this URL (not a URL, or it carries a user or password), or undefined.
 * This alone is checked for the operator's `STRANGLER_UPSTREAM_<NAME>_URL` overrides.
 */
export function neverAllowed(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.username || parsed.password)
    return 'carries a user or password (user:password@): credentials would be stored, listed and logged with the rules; give them to the upstream another way';
  return undefined;
}

/**
 * Whether an upstream URL may be routed to. Refused: a URL with user information (always); a
 * link-local (169.254.0.0/16, fe80::/10) or cloud metadata address or name, unless an explicit
 * entry names that host; a port of {@link SERVICE_PORTS}, unless an explicit entry names that
 * `host:port`; and any host no entry covers. Names are compared as written, never resolved.
 *
 * @example
 * decideUpstream('http://10.0.0.1:22', upstreamAllowList(['10.0.0.0/8'], 'STRANGLER_UPSTREAM_ALLOW'))
 * // { ok: false, reason: 'port 22 is SSH’s: …' }
 */
export function decideUpstream(url: string, allow: UpstreamAllowList): UpstreamDecision {
  const never = neverAllowed(url);
  if (never) return { ok: false, reason: never };
  const parsed = new URL(url);
  const host = hostOf(url) as string;
  const family = isIP(host);
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  const explicitly = (match: (entry: AllowEntry) => boolean) => allow.entries.some((e) => e.explicit && match(e));
  const special =
    family !== 0
      ? METADATA.check(host, familyOf(host))
        ? 'a cloud metadata address'
        : LINK_LOCAL.check(host, familyOf(host))
          ? 'a link-local address (where cloud metadata services answer)'
          : undefined
      : METADATA_NAMES.has(host)
        ? 'a cloud metadata name'
        : undefined;
  if (special && !explicitly((entry) => names(entry, host, family, port)))
    return {
      ok: false,
      reason: `${host} is ${special}: allowed only by naming it in STRANGLER_UPSTREAM_ALLOW (a network does not allow it)`,
    };
  const service = SERVICE_PORTS.get(port);
  if (
    service &&
    !explicitly(
      (entry) =>
        (entry.kind === 'address' || entry.kind === 'name') && entry.port === port && names(entry, host, family, port),
    )
  ) {
    const exact = family === 6 ? `[${host}]:${port}` : `${host}:${port}`;
    return {
      ok: false,
      reason: `port ${port} is ${service}'s, not an HTTP upstream's: allowed only by listing ${exact} in STRANGLER_UPSTREAM_ALLOW`,
    };
  }
  if (!allow.entries.some((entry) => covers(entry, host, family, port))) {
    const listed = allow.entries.map((entry) => entry.text).join(', ') || 'nothing';
    const resolve = family === 0 ? ' (names are not resolved: list the name)' : '';
    return {
      ok: false,
      reason: `${host} is not in the upstream allow-list${resolve}; ${allow.source} allows ${listed}`,
    };
  }
  return { ok: true };
}

/** The URLs of each upstream of a document, with the path of each for messages. */
export function upstreamUrlsOf(upstreams: Readonly<Record<string, { url?: string; urls?: readonly string[] }>>) {
  return Object.entries(upstreams).flatMap(([name, upstream]) =>
    upstream.urls
      ? upstream.urls.map((url, index) => ({ name, at: `upstreams.${name}.urls[${index}]`, url }))
      : upstream.url
        ? [{ name, at: `upstreams.${name}.url`, url: upstream.url }]
        : [],
  );
}

/** Every refused upstream URL of a document, as `<path>: <url> is refused: <why>`. */
export function refusedUpstreams(
  upstreams: Readonly<Record<string, { url?: string; urls?: readonly string[] }>>,
  allow: UpstreamAllowList,
  skip: (name: string) => boolean = () => false,
): string[] {
  return upstreamUrlsOf(upstreams).flatMap(({ name, at, url }) => {
    if (skip(name)) return [];
    const decision = decideUpstream(url, allow);
    return decision.ok ? [] : [`${at}: upstream "${name}" at ${url} is refused: ${decision.reason}`];
  });
}

/** A rules check with the upstreams the allow-list refuses added to its errors. */
export function withAllowedUpstreams(check: RuleSetCheck, allow: UpstreamAllowList): RuleSetCheck {
  if (!check.ok) return check;
  const refused = refusedUpstreams(check.ruleSet.upstreams, allow);
  return refused.length > 0 ? { ok: false, errors: refused, warnings: check.warnings } : check;
}
