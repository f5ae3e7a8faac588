import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether a presented token is the expected one.
 *
 * SECURITY: compares SHA-256 digests with `timingSafeEqual`, so the time taken reveals
 * neither how much of the token matched nor its length.
 */
export function tokensMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}
