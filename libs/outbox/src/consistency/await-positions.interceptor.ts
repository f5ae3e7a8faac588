import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Observable, from, switchMap } from 'rxjs';
import { AWAIT_HEADER } from '@app/contracts';
import { PositionsGate } from './positions-gate';

/**
 * Before an HTTP route's handler (after its guards: authentication first), waits for the
 * positions of `x-ficus-await` through the {@link PositionsGate}. A request without the header
 * goes straight on: no query, no timer.
 */
@Injectable()
export class AwaitPositionsInterceptor implements NestInterceptor {
  constructor(private readonly gate: PositionsGate) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const header = http.getRequest<IncomingMessage>().headers[AWAIT_HEADER];
    if (header === undefined) return next.handle();
    return from(this.gate.pass(header, http.getResponse<ServerResponse>())).pipe(switchMap(() => next.handle()));
  }
}
