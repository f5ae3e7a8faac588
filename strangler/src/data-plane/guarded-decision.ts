import type { RoutingDecision } from '../rules';
import type { DataPlaneContext } from './data-plane.context';

/**
 * The rules' decision, unless the route's guard is tripped: then legacy serves the request,
 * as if the route were in legacy mode.
 */
export function guardedDecision(context: DataPlaneContext, decision: RoutingDecision): RoutingDecision {
  const route = decision.route;
  if (decision.side !== 'target' || !route?.guard || !context.guards.isTripped(route.id, Date.now())) return decision;
  return {
    ...decision,
    upstream: decision.legacy,
    side: 'legacy',
    reason: `route ${route.id}'s guard is tripped: legacy answers until ${route.target} recovers`,
  };
}
