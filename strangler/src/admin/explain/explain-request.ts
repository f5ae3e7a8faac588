import { ValidationFailedError } from '@app/service-defaults';
import { type CompiledRuleSet, type RoutingDecision, toRoutingRequest } from '../../rules';
import type { IdempotencyPinView, TrippedRoute } from '../data-plane-stats';
import type { ExplainBody, Explanation } from './explain.schema';

/**
 * Where a request would go with these rules, and why: the route that matches, the side and
 * upstream the rules choose (a sticky canary hashes the same key the data plane does), and
 * whether a tripped guard keeps the route on legacy for now, and, for a keyed write, the
 * upstream its `Idempotency-Key` is pinned to (`pin`, as the data plane reads it), and what its
 * answer must reflect (`awaits`, by the route's `consistency`).
 */
export function explainRequest(
  rules: CompiledRuleSet,
  input: ExplainBody,
  trippedRoutes: readonly TrippedRoute[],
  pin?: IdempotencyPinView | null | 'unavailable',
  refusesInternal?: (segments: readonly string[], decision: RoutingDecision) => boolean,
): Explanation {
  const headers = Object.fromEntries(Object.entries(input.headers).map(([name, value]) => [name.toLowerCase(), value]));
  const parsed = toRoutingRequest(input.method, input.path, headers, input.clientIp);
  if (!parsed.ok) throw new ValidationFailedError([`path: ${parsed.reason}`]);
  const decision = rules.decide(parsed.request);
  if (refusesInternal?.(parsed.request.segments, decision))
    return refusedAsInternal(rules, input, parsed.path, decision);
  const route = decision.route;
  const tripped = route && decision.side === 'target' ? trippedRoutes.find((t) => t.route === route.id) : undefined;
  const upstream = tripped ? decision.legacy : decision.upstream;
  const explanation: Explanation = {
    version: rules.version,
    method: input.method,
    path: parsed.path,
    route: route
      ? {
          id: route.id,
          group: route.group ?? null,
          mode: route.mode,
          target: route.target,
          percent: route.percent ?? null,
          stickyBy: route.stickyBy ?? null,
        }
      : null,
    side: tripped ? 'legacy' : decision.side,
    upstream,
    upstreamUrls: [...(rules.upstreamUrls.get(upstream) ?? [])],
    shadowTo: route?.mode === 'shadow' ? route.target : null,
    reason: tripped
      ? `${decision.reason}; but its guard has tripped (${tripped.reason}), so legacy answers`
      : decision.reason,
    guard: tripped ? { reason: tripped.reason, since: tripped.since } : null,
    timeoutMs: decision.timeoutMs,
    retries: decision.retries,
    fallback: decision.fallback,
  };
  const keys = rules.awaitedKeys(route, parsed.request);
  if (keys) explanation.awaits = keys.map((key) => `${key.aggregateType}:${key.aggregateId ?? '*'}`);
  return pin === undefined ? explanation : withPin(rules, explanation, pin);
}

/** The explanation of a keyed write: it goes where its key was first taken, and never falls back. */
function withPin(
  rules: CompiledRuleSet,
  explanation: Explanation,
  pin: IdempotencyPinView | null | 'unavailable',
): Explanation {
  if (pin === 'unavailable') {
    return { ...explanation, reason: `${explanation.reason}; Idempotency-Key pins are unavailable (Redis)` };
  }
  const unpinnable = { ...explanation, fallback: false };
  if (pin === null) {
    return {
      ...unpinnable,
      idempotencyPin: null,
      reason: `${explanation.reason}; its Idempotency-Key is free: the request pins it to ${explanation.upstream}`,
    };
  }
  if (!rules.upstreamUrls.has(pin.upstream)) {
    return {
      ...unpinnable,
      idempotencyPin: pin,
      reason: `${explanation.reason} (its Idempotency-Key was pinned to ${pin.upstream}, gone)`,
    };
  }
  return {
    ...unpinnable,
    side: pin.upstream === rules.legacy ? 'legacy' : 'target',
    upstream: pin.upstream,
    upstreamUrls: [...(rules.upstreamUrls.get(pin.upstream) ?? [])],
    idempotencyPin: pin,
    reason: `pinned by Idempotency-Key to ${pin.upstream}, which took the key first (the rules: ${explanation.reason})`,
  };
}

/** The explanation of an internal path no route routes: the facade answers it, no upstream sees it. */
function refusedAsInternal(
  rules: CompiledRuleSet,
  input: ExplainBody,
  path: string,
  decision: RoutingDecision,
): Explanation {
  return {
    version: rules.version,
    method: input.method,
    path,
    route: null,
    side: 'legacy',
    upstream: '-',
    upstreamUrls: [],
    shadowTo: null,
    reason:
      'an internal path (STRANGLER_INTERNAL_PATHS) that no route routes explicitly: the facade answers 404 ' +
      `ROUTE_NOT_FOUND (without it: ${decision.reason})`,
    guard: null,
    timeoutMs: decision.timeoutMs,
    retries: 0,
    fallback: false,
    refused: { status: 404, code: 'ROUTE_NOT_FOUND' },
  };
}
