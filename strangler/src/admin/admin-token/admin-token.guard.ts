import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request, Response } from 'express';
import { UnauthenticatedError } from '@app/auth';
import { stranglerConfig } from '../../config/strangler.config';
import { tokensMatch } from './tokens-match';

/** The one route a caller may reach without the token: liveness, for probes. */
const OPEN_PATHS = new Set(['/health/live']);

/**
 * Every route of the admin plane, metrics and readiness included, needs
 * `Authorization: Bearer <STRANGLER_ADMIN_TOKEN>`; only `GET /health/live` is open.
 *
 * SECURITY: the admin plane changes where all traffic goes; this is its trust boundary.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly token: string;

  constructor(@Inject(stranglerConfig.KEY) config: ConfigType<typeof stranglerConfig>) {
    this.token = config.adminToken;
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (OPEN_PATHS.has(request.path)) return true;
    const header = request.headers.authorization;
    const presented = header ? /^Bearer +(\S+) *$/i.exec(header)?.[1] : undefined;
    if (presented !== undefined && tokensMatch(presented, this.token)) return true;
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="strangler-admin"');
    throw new UnauthenticatedError(
      header
        ? 'The admin token is wrong, or the header is not "Bearer <token>".'
        : 'The admin API needs an Authorization: Bearer <STRANGLER_ADMIN_TOKEN> header.',
    );
  }
}
