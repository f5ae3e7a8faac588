import type { IncomingMessage } from 'node:http';
import { AWAIT_HEADER, POSITIONS_HEADER } from '@app/contracts';
import { HOP_BY_HOP, connectionTokens } from './hop-by-hop';
import { peerAddress } from './client-address';

/** Request headers the facade sets itself (or sends only between itself and the sides), so the caller's copies are dropped. */
const REPLACED = new Set([
  'host',
  'expect',
  'x-request-id',
  'traceparent',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  // SECURITY: the positions a side waits for come from the facade alone; a client's would make it wait.
  AWAIT_HEADER,
  POSITIONS_HEADER,
]);

const PROTOS = new Set(['http', 'https']);

export interface ForwardingIds {
  readonly requestId: string;
  readonly traceparent: string;
  /** Whether `traceparent` is the caller's own (then its `tracestate` goes along with it). */
  readonly traceGiven: boolean;
}

/**
 * The headers sent upstream, as a flat `[name, value, …]` list: the caller's headers in
 * their order and spelling, without hop-by-hop headers (and those `Connection` names),
 * plus `X-Forwarded-For` (appended to), `X-Forwarded-Proto`, `X-Forwarded-Host`,
 * `X-Request-Id` and `traceparent`. `Host` is left out: the pool sets the upstream's own.
 *
 * SECURITY: the caller's `Host` never reaches the upstream as `Host`, and decides nothing
 * about where the request goes. `X-Forwarded-Proto`/`-Host` from the caller are kept only
 * with `trustProxy`; otherwise they describe this hop.
 */
export function upstreamRequestHeaders(req: IncomingMessage, ids: ForwardingIds, trustProxy: boolean): string[] {
  const headers = req.headers;
  const named = connectionTokens(headers.connection);
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || REPLACED.has(lower) || named?.has(lower)) continue;
    if (lower === 'tracestate' && !ids.traceGiven) continue;
    out.push(name, raw[i + 1] as string);
  }
  const peer = peerAddress(req) ?? 'unknown';
  const forwardedFor = headers['x-forwarded-for'];
  out.push('x-forwarded-for', forwardedFor ? `${forwardedFor}, ${peer}` : peer);
  const givenProto = trustProxy ? headers['x-forwarded-proto'] : undefined;
  const proto =
    typeof givenProto === 'string' && PROTOS.has(givenProto)
      ? givenProto
      : 'encrypted' in req.socket && req.socket.encrypted
        ? 'https'
        : 'http';
  out.push('x-forwarded-proto', proto);
  const givenHost = trustProxy ? headers['x-forwarded-host'] : undefined;
  const host = typeof givenHost === 'string' && givenHost ? givenHost : headers.host;
  if (host) out.push('x-forwarded-host', host);
  out.push('x-request-id', ids.requestId, 'traceparent', ids.traceparent);
  return out;
}
