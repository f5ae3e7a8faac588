import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestPositions, runWithRequestPositions } from './request-positions';

/**
 * Opens each HTTP request's {@link RequestPositions}, so that the positions its transactions
 * commit reach its response. Costs one small object and an `AsyncLocalStorage` scope.
 */
@Injectable()
export class RequestPositionsMiddleware implements NestMiddleware {
  use(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
    runWithRequestPositions(new RequestPositions(response), next);
  }
}
