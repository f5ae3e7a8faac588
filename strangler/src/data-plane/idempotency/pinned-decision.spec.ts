import { CompiledRuleSet, type RoutingDecision, checkRuleSet, toRoutingRequest } from '../../rules';
import { pinnedDecision } from './pinned-decision';

const check = checkRuleSet({
  legacy: 'legacy',
  upstreams: { legacy: { url: 'http://127.0.0.1:1' }, payments: { url: 'http://127.0.0.1:2' } },
  routes: [{ id: 'deposits', match: { path: '/api/deposits' }, target: 'payments', mode: 'live', fallback: true }],
});
if (!check.ok) throw new Error(check.errors.join('\n'));
const rules = new CompiledRuleSet(1, check.ruleSet);
const parsed = toRoutingRequest('POST', '/api/deposits', {}, undefined);
if (!parsed.ok) throw new Error(parsed.reason);
const live = rules.decide(parsed.request);

describe('the decision of a keyed write', () => {
  it('stays the rules’ when this request pinned the key, without the fallback to legacy', () => {
    const { decision, outcome } = pinnedDecision(rules, live, undefined);
    expect(outcome).toBe('created');
    expect(decision).toEqual<RoutingDecision>({ ...live, fallback: false });
  });

  it('goes to the upstream that took the key first, and says so', () => {
    const { decision, outcome } = pinnedDecision(rules, live, 'legacy');
    expect(outcome).toBe('followed');
    expect(decision).toMatchObject({ upstream: 'legacy', side: 'legacy', fallback: false, route: live.route });
    expect(decision.reason).toBe(
      'pinned by Idempotency-Key to legacy, which took the key first (the rules: route deposits is live on payments)',
    );
  });

  it('follows the rules when the pinned upstream left them', () => {
    const { decision, outcome } = pinnedDecision(rules, live, 'payments-v0');
    expect(outcome).toBe('stale');
    expect(decision).toMatchObject({ upstream: 'payments', side: 'target', fallback: false });
    expect(decision.reason).toContain('pinned to payments-v0, gone');
  });

  it('follows the rules untouched when Redis did not answer', () => {
    expect(pinnedDecision(rules, live, 'unavailable')).toEqual({ decision: live, outcome: 'unavailable' });
  });
});
