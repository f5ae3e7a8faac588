import { isIP } from 'node:net';
import { type AllowEntry, entryCovers, entryNames, parseAllowEntry } from './allow-entry';
import type { RuleSetCheck } from './check-rule-set';
import { SERVICE_PORTS, specialHost } from './special-upstreams';

/** The default allow-list besides the rules file's hosts: loopback. */
export const LOOPBACK_ALLOW = ['127.0.0.0/8', '::1', 'localhost'] as const;

export interface UpstreamAllowList {
  readonly entries: readonly AllowEntry[];
  /** Where the list comes from, for messages (`STRANGLER_UPSTREAM_ALLOW`, or the default). */
  readonly source: string;
}

export type UpstreamDecision = { readonly ok: true } | { readonly ok: false; readonly reason: string };

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
  const special = specialHost(host, family);
  if (special && !explicitly((entry) => entryNames(entry, host, family, port)))
    return {
      ok: false,
      reason: `${host} is ${special}: allowed only by naming it in STRANGLER_UPSTREAM_ALLOW (a network does not allow it)`,
    };
  const service = SERVICE_PORTS.get(port);
  if (
    service &&
    !explicitly(
      (entry) =>
        (entry.kind === 'address' || entry.kind === 'name') &&
        entry.port === port &&
        entryNames(entry, host, family, port),
    )
  ) {
    const exact = family === 6 ? `[${host}]:${port}` : `${host}:${port}`;
    return {
      ok: false,
      reason: `port ${port} is ${service}'s, not an HTTP upstream's: allowed only by listing ${exact} in STRANGLER_UPSTREAM_ALLOW`,
    };
  }
  if (!allow.entries.some((entry) => entryCovers(entry, host, family, port))) {
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
