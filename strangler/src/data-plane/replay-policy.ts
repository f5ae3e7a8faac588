import type { IncomingMessage } from 'node:http';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN } from '@app/api-conventions';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request may be sent a second time (a retry, or the fallback to legacy): a GET,
 * HEAD or OPTIONS, or a request carrying a well-formed `Idempotency-Key`, which the public
 * API promises to apply at most once. Any other write is never replayed: the upstream may
 * have applied it before failing.
 *
 * Bodies are streamed, never buffered, so a request with a body is replayed only when its
 * body was not read yet (the first call failed before a connection took it: connection
 * refused, circuit open). In practice: retries and fallback serve bodiless idempotent
 * requests, and keyed writes whose first call never left the facade.
 */
export function canReplay(req: IncomingMessage): boolean {
  if (SAFE_METHODS.has(req.method as string)) return true;
  const key = req.headers[IDEMPOTENCY_KEY_HEADER];
  return typeof key === 'string' && IDEMPOTENCY_KEY_PATTERN.test(key);
}
