import type { CompiledRuleSet, RoutingDecision } from '../../rules';

/** What the pin did to a request's decision. */
export type PinOutcome = 'created' | 'followed' | 'stale' | 'unavailable';

/**
 * The decision for a keyed write, given what the pin store answered: `undefined` when this
 * request created the pin (the rules' upstream now holds the key), the pinned upstream's
 * name when one took the key first, or `'unavailable'` when Redis did not answer.
 *
 * A request that holds a pin never falls back to legacy: its key must reach only the
 * upstream the pin names, or a retry would find the key on one side and the write on the
 * other.
 */
export function pinnedDecision(
  rules: CompiledRuleSet,
  decision: RoutingDecision,
  pinned: string | undefined | 'unavailable',
): { readonly decision: RoutingDecision; readonly outcome: PinOutcome } {
  if (pinned === 'unavailable') return { decision, outcome: 'unavailable' };
  const unpinnable = decision.fallback ? { ...decision, fallback: false } : decision;
  if (pinned === undefined) return { decision: unpinnable, outcome: 'created' };
  if (!rules.upstreamUrls.has(pinned)) {
    return {
      decision: { ...unpinnable, reason: `${decision.reason} (its Idempotency-Key was pinned to ${pinned}, gone)` },
      outcome: 'stale',
    };
  }
  return {
    decision: {
      ...unpinnable,
      upstream: pinned,
      side: pinned === decision.legacy ? 'legacy' : 'target',
      reason: `pinned by Idempotency-Key to ${pinned}, which took the key first (the rules: ${decision.reason})`,
    },
    outcome: 'followed',
  };
}
