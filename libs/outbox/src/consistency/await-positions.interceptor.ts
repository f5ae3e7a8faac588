import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Observable, from, switchMap } from 'rxjs';
import { AWAIT_HEADER } from '@app/contracts';
import { RedisStreamsContext } from '@app/redis-streams';
import { PositionsGate } from './positions-gate';

/**
 * Before an HTTP route's handler (after its guards: authentication first), waits for the
 * positions of `x-ficus-await` through the {@link PositionsGate}; before a streams request's
 * handler (a saga's command), for those of its `x-ficus-await` request header, refusing it with
 * `CONSISTENCY_NOT_APPLIED` past the wait. A request without the header goes straight on: no
 * query, no timer.
 */
@Injectable()
export class AwaitPositionsInterceptor implements NestInterceptor {
  constructor(private readonly gate: PositionsGate) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'rpc') {
      const rpc = context.switchToRpc().getContext<unknown>();
      const header = rpc instanceof RedisStreamsContext ? rpc.getHeaders()[AWAIT_HEADER] : undefined;
      if (header === undefined) return next.handle();
      return from(this.gate.passCommand(header)).pipe(switchMap(() => next.handle()));
    }
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const header = http.getRequest<IncomingMessage>().headers[AWAIT_HEADER];
    if (header === undefined) return next.handle();
    return from(this.gate.pass(header, http.getResponse<ServerResponse>())).pipe(switchMap(() => next.handle()));
  }
}
