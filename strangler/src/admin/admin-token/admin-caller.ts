import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import type { AdminRole } from '../../config/admin-tokens';

/** Who is calling the admin API: the name and role of the token the request carried. */
export interface AdminCaller {
  readonly name: string;
  readonly role: AdminRole;
}

const callers = new WeakMap<Request, AdminCaller>();

/** Records the caller of a request (the authentication middleware does, once the token checks out). */
export function setAdminCaller(request: Request, caller: AdminCaller): void {
  callers.set(request, caller);
}

/** The caller of a request, if its token checked out. */
export function adminCallerOf(request: Request): AdminCaller | undefined {
  return callers.get(request);
}

/**
 * The caller of the request, in a controller of the admin plane (always set there: the
 * authentication middleware refuses any request without a valid token first).
 */
export const CurrentAdminCaller = createParamDecorator((_: unknown, context: ExecutionContext): AdminCaller => {
  const caller = adminCallerOf(context.switchToHttp().getRequest<Request>());
  if (!caller) throw new Error('No admin caller: the admin authentication middleware did not run');
  return caller;
});
