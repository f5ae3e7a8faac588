import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { UnauthenticatedError } from '@app/auth';
import type { AdminToken } from '../../config/admin-tokens';
import { setAdminCaller } from './admin-caller';
import { tokensMatch } from './tokens-match';

/** The one path a caller may reach without a token: liveness, for probes. */
export const OPEN_PATHS: ReadonlySet<string> = new Set(['/health/live']);

const BEARER = /^Bearer +(\S+) *$/i;

/** The token a presented secret belongs to, comparing it with every token in constant time. */
export function findAdminToken(tokens: readonly AdminToken[], presented: string): AdminToken | undefined {
  let found: AdminToken | undefined;
  // Every token is compared, found or not, so the time taken does not say which one matched.
  for (const token of tokens) if (tokensMatch(presented, token.secret) && !found) found = token;
  return found;
}

/**
 * Express middleware run before the body is read and before any route is looked up: a request
 * without a valid admin token gets `401 UNAUTHENTICATED` whatever its path, so the routes of the
 * admin API cannot be listed without one (`404` comes only after authentication). Only
 * `/health/live` is open. The token's name and role are recorded for the role guard and the audit.
 *
 * SECURITY: the admin plane changes where all traffic goes; this is its trust boundary.
 */
export function adminAuthentication(tokens: readonly AdminToken[]): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (OPEN_PATHS.has(request.path)) return next();
    const header = request.headers.authorization;
    const presented = header ? BEARER.exec(header)?.[1] : undefined;
    const token = presented === undefined ? undefined : findAdminToken(tokens, presented);
    if (token) {
      setAdminCaller(request, { name: token.name, role: token.role });
      return next();
    }
    response.setHeader('WWW-Authenticate', 'Bearer realm="strangler-admin"');
    next(
      new UnauthenticatedError(
        header
          ? 'The admin token is wrong, or the header is not "Bearer <token>".'
          : 'The admin API needs an Authorization: Bearer <admin token> header.',
      ),
    );
  };
}
