import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN } from '@app/api-conventions';
import type { JwtCodec } from '@app/auth';

/** The methods whose `Idempotency-Key` is pinned: writes. A read is never pinned. */
export const PINNED_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The caller as the upstreams see it: the JWT `sub` when the bearer token verifies (the
 * services scope their keys by that principal), otherwise a SHA-256 of the whole
 * `Authorization` value (empty for an anonymous caller), so that two callers never share a
 * pin and no credential is stored.
 */
export function callerOf(authorization: string | undefined, jwt: JwtCodec | undefined): string {
  if (authorization && jwt) {
    try {
      return `sub:${jwt.verifyHeader(authorization).id}`;
    } catch {
      // Not a token the upstreams accept: the raw header stands for the caller.
    }
  }
  return `auth:${sha256(authorization ?? '')}`;
}

/**
 * The Redis key that pins this request's `Idempotency-Key` to an upstream, or `undefined`
 * when the request takes no pin: not a write, or no well-formed key (the upstreams refuse a
 * malformed one with `400`, wherever it goes).
 *
 * @example
 * pinKeyOf('POST', req.headers, jwt, 'ficus:') // 'ficus:strangler:idem:9f86d08…'
 */
export function pinKeyOf(
  method: string,
  headers: IncomingHttpHeaders,
  jwt: JwtCodec | undefined,
  prefix: string,
): string | undefined {
  if (!PINNED_METHODS.has(method)) return undefined;
  const key = headers[IDEMPOTENCY_KEY_HEADER];
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) return undefined;
  return `${prefix}strangler:idem:${sha256(`${callerOf(headers.authorization, jwt)}\n${key}`)}`;
}
