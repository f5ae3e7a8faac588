import type { ServerResponse } from 'node:http';
import type { RoutingDecision } from '../rules';
import type { DataPlaneContext } from './data-plane.context';
import { sendError } from './error-response';

/**
 * Forwards a request once what it waits for is known (its Idempotency-Key pin, the positions
 * its answer must reflect). A client that left while Redis answered is
 * counted as aborted and nothing is sent upstream; a bug gets `500 INTERNAL_ERROR`, as a
 * synchronous one would.
 */
export function forwardWhenReady(
  context: DataPlaneContext,
  res: ServerResponse,
  requestId: string,
  ready: Promise<RoutingDecision>,
  forward: (decision: RoutingDecision) => void,
): void {
  let gone = false;
  const onClose = () => (gone = true);
  res.once('close', onClose);
  ready
    .then((decision) => {
      res.off('close', onClose);
      if (!gone) return forward(decision);
      const route = decision.route?.id ?? '-';
      context.metrics.requests.inc({ route, upstream: decision.upstream, status_class: 'aborted' });
    })
    .catch((error: unknown) => {
      context.error(`${requestId}: request failed unexpectedly`, error);
      if (res.headersSent) res.destroy();
      else sendError(res, 'INTERNAL_ERROR', 'An unexpected error occurred.', ['x-request-id', requestId], true);
    });
}
