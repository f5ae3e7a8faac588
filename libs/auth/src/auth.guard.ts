import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from './auth.errors';
import { ALLOW_ANONYMOUS } from '@app/service-defaults';
import { AuthenticatedRequest, REQUIRED_ROLES } from './auth.decorators';
import type { Role } from './principal';
import { TokenService } from './token.service';

/**
 * Every route needs a valid bearer token unless marked `@Public()`; `@Roles()` narrows
 * who may call it. Failures are domain errors (`UNAUTHENTICATED`, `FORBIDDEN`).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(ALLOW_ANONYMOUS, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = this.tokens.verifyHeader(request.headers.authorization);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new ForbiddenError(`This route is for ${roles.join(' or ')} tokens.`);
    }
    request.principal = principal;
    return true;
  }
}
