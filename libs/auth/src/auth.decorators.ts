import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { AllowAnonymous } from '@app/service-defaults';
import type { Principal, Role } from './principal';

export const REQUIRED_ROLES = 'ficus:auth:roles';

/** The route needs no token (every other route does). */
export const Public = AllowAnonymous;

/** Only tokens with one of these roles may call the route; others get `403 FORBIDDEN`. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/** The verified principal of the request (on routes that are not public). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('@CurrentPrincipal() used on a public route');
  return principal;
});
