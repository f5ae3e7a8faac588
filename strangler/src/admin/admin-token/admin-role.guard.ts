import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ForbiddenError, UnauthenticatedError } from '@app/auth';
import { OPEN_PATHS } from './admin-authentication';
import { adminCallerOf } from './admin-caller';

const READ_METHODS = new Set(['GET', 'HEAD']);
const READ_ONLY_ALLOWED = 'strangler:read-only-allowed';

/**
 * Marks a route that is not a `GET` but changes nothing (`explain`, `rules validate`), so that a
 * `read-only` token may call it.
 */
export const ReadOnlyAllowed = () => SetMetadata(READ_ONLY_ALLOWED, true);

/**
 * What a token's role allows, once the authentication middleware has named the caller: an
 * `operator` anything, a `read-only` token `GET`, `HEAD` and the routes marked
 * {@link ReadOnlyAllowed}; any other route is a write, refused with `403 FORBIDDEN`. A new write
 * route is thus an operator's by default.
 */
@Injectable()
export class AdminRoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (OPEN_PATHS.has(request.path)) return true;
    const caller = adminCallerOf(request);
    // Never without the middleware; refused rather than let through should it ever be left out.
    if (!caller) throw new UnauthenticatedError('The admin API needs an Authorization: Bearer <admin token> header.');
    if (caller.role === 'operator' || READ_METHODS.has(request.method)) return true;
    if (this.reflector.getAllAndOverride<boolean>(READ_ONLY_ALLOWED, [context.getHandler(), context.getClass()])) {
      return true;
    }
    throw new ForbiddenError(
      `The admin token "${caller.name}" is read-only: it may read the rules, not change them. Use an operator token.`,
    );
  }
}
