import { JwtCodec } from '@app/auth';
import type { RequestView } from './route-matcher';

/** Where a canary route finds the key that keeps a caller on one side. */
export type StickyBy =
  { kind: 'jwt.sub' } | { kind: 'ip' } | { kind: 'header'; name: string } | { kind: 'cookie'; name: string };

export function parseStickyBy(text: string): StickyBy {
  if (text === 'jwt.sub') return { kind: 'jwt.sub' };
  if (text === 'ip') return { kind: 'ip' };
  if (text.startsWith('header:')) return { kind: 'header', name: text.slice('header:'.length).toLowerCase() };
  return { kind: 'cookie', name: text.slice('cookie:'.length) };
}

export interface StickyRequest extends RequestView {
  readonly clientIp: string | undefined;
}

/** The `sub` of the request's bearer token when its signature verifies and it has not expired, else undefined. */
export function jwtSubject(request: RequestView, jwt: JwtCodec | undefined): string | undefined {
  const header = request.header('authorization');
  if (!header || !jwt) return undefined;
  try {
    return jwt.verifyHeader(header).id;
  } catch {
    return undefined;
  }
}

/**
 * The caller's key, or `undefined` (the caller then stays on legacy). A JWT's `sub` counts
 * only when its signature verifies with `JWT_SECRET` and it has not expired.
 */
export function stickyKey(by: StickyBy, request: StickyRequest, jwt: JwtCodec | undefined): string | undefined {
  switch (by.kind) {
    case 'jwt.sub':
      return jwtSubject(request, jwt);
    case 'ip':
      return request.clientIp || undefined;
    case 'header':
      return request.header(by.name) || undefined;
    case 'cookie':
      return request.cookie(by.name) || undefined;
  }
}
