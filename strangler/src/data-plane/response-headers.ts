import { APPLIED_HEADER, POSITIONS_HEADER } from '@app/contracts';
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

/** What a side's answer tells the facade alone, taken out of the headers relayed to the client. */
export interface InternalResponseHeaders {
  /** `x-ficus-positions`: the positions of the events the request committed. */
  positions?: string;
  /** `x-ficus-applied: true`: the answer reflects every position the request awaited. */
  applied?: boolean;
}

/**
 * The upstream's response headers for the client, as a flat `[name, value, …]` list: all of
 * them in their order and spelling, except hop-by-hop headers and those its `Connection`
 * names (kept on a `101` answer, which needs `Connection` and `Upgrade`), plus the facade's
 * tags, and without `x-ficus-positions` and `x-ficus-applied` (given to `internal`). `X-Request-Id` is added only when the
 * upstream did not echo one.
 */
export function clientResponseHeaders(
  raw: readonly (Buffer | string)[],
  tags: ResponseTags,
  upgrade = false,
  internal?: InternalResponseHeaders,
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
    else if (lower === POSITIONS_HEADER) {
      // Between a side and the facade only: kept for the facade, never relayed.
      if (internal) internal.positions = internal.positions === undefined ? value : `${internal.positions},${value}`;
      continue;
    } else if (lower === APPLIED_HEADER) {
      if (internal) internal.applied = value.trim() === 'true';
      continue;
    }
    if (!upgrade && HOP_BY_HOP.has(lower)) continue;
    out.push(name, value);
  }
  const named = upgrade ? undefined : connectionTokens(connection);
  const kept = named ? out.filter((_, i, all) => !named.has((all[i - (i % 2)] as string).toLowerCase())) : out;
  const tagged = tagHeaders(tags, !hasRequestId);
  for (const item of tagged) kept.push(item);
  return kept;
}
