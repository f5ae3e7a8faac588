import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TEST_JWT_SECRET } from './legacy-harness';

export interface Claims {
  sub?: unknown;
  role?: unknown;
  iat?: unknown;
  exp?: unknown;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Valid claims for `sub` and `role`, issued now, expiring in 15 minutes. */
export function claims(sub: string, role: 'customer' | 'admin'): Claims {
  const iat = nowSeconds();
  return { sub, role, iat, exp: iat + 900 };
}

/**
 * A token signed by the test itself (HS256 with the app's secret unless told otherwise),
 * with exactly the claims given: a claim set to `undefined` is left out.
 */
export function signToken(payload: Claims, options: { secret?: string; algorithm?: jwt.Algorithm } = {}): string {
  const present = Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== undefined));
  return jwt.sign(present, options.secret ?? TEST_JWT_SECRET, {
    algorithm: options.algorithm ?? 'HS256',
    noTimestamp: present.iat === undefined,
  });
}

/** An HS256 token built by hand, for claims `jsonwebtoken` refuses to sign (an `exp` that is not a number). */
export function handSignedToken(payload: Record<string, unknown>, secret = TEST_JWT_SECRET): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** An unsigned token (`alg: none`), as an attacker would forge one. */
export function unsignedToken(payload: Claims): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}

/** A token whose payload was changed after signing (the signature no longer matches). */
export function tamperedToken(token: string, payload: Claims): string {
  const [header, , signature] = token.split('.');
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

export function decodeToken(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') throw new Error(`Not a JWT: ${token}`);
  return { header: decoded.header as unknown as Record<string, unknown>, payload: decoded.payload };
}

export { nowSeconds };
