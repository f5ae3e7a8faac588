import { HOP_BY_HOP, connectionTokens } from './hop-by-hop';

/** What the facade adds to every answer it relays or makes. */
export interface ResponseTags {
  readonly requestId: string;
  /** `x-strangler-route` and `x-strangler-upstream`, unless routing headers are off. */
  readonly routing?: { readonly route: string; readonly upstream: string };
}

/** The facade's own headers, as a flat `[name, value, …]` list. */
export function tagHeaders(tags: ResponseTags, withRequestId = true): string[] {
  const out = withRequestId ? ['x-request-id', tags.requestId] : [];
  if (tags.routing) out.push('x-strangler-route', tags.routing.route, 'x-strangler-upstream', tags.routing.upstream);
  return out;
}

/**
 * The upstream's response headers for the client, as a flat `[name, value, …]` list: all of
 * them in their order and spelling, except hop-by-hop headers and those its `Connection`
 * names (kept on a `101` answer, which needs `Connection` and `Upgrade`), plus the facade's
 * tags. `X-Request-Id` is added only when the upstream did not echo one.
 */
export function clientResponseHeaders(
  raw: readonly (Buffer | string)[],
  tags: ResponseTags,
  upgrade = false,
): string[] {
  const out: string[] = [];
  let connection: string | undefined;
  let hasRequestId = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1');
    const value = raw[i + 1]!.toString('latin1');
    const lower = name.toLowerCase();
    if (lower === 'connection') connection = connection === undefined ? value : `${connection}, ${value}`;
    else if (lower === 'x-request-id') hasRequestId = true;
    if (!upgrade && HOP_BY_HOP.has(lower)) continue;
    out.push(name, value);
  }
  const named = upgrade ? undefined : connectionTokens(connection);
  const kept = named ? out.filter((_, i, all) => !named.has((all[i - (i % 2)] as string).toLowerCase())) : out;
  const tagged = tagHeaders(tags, !hasRequestId);
  for (const item of tagged) kept.push(item);
  return kept;
}
