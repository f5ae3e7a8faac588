import { JwtCodec } from '@app/auth';
import { ValidationFailedError } from '@app/service-defaults';
import { CompiledRuleSet, checkRuleSet } from '../../rules';
import { explainRequest } from './explain-request';

const jwt = new JwtCodec('explain-spec-secret');

const rules = (() => {
  const check = checkRuleSet({
    legacy: 'legacy',
    upstreams: {
      legacy: { url: 'http://127.0.0.1:3000' },
      svc: { urls: ['http://10.0.0.1:80', 'http://10.0.0.2:80'] },
    },
    routes: [
      {
        id: 'live',
        match: { path: '/live/**' },
        target: 'svc',
        mode: 'live',
        timeoutMs: 500,
        retries: 1,
        fallback: true,
      },
      { id: 'shadow', match: { path: '/shadow' }, target: 'svc', mode: 'shadow' },
      {
        id: 'canary',
        match: { path: '/canary' },
        target: 'svc',
        mode: 'canary',
        percent: 100,
        stickyBy: 'header:x-user',
      },
      {
        id: 'product',
        match: { path: '/products/:id' },
        target: 'svc',
        mode: 'live',
        consistency: ['product:{id}', 'customer:{jwt.sub}', 'order:*'],
      },
    ],
  });
  if (!check.ok) throw new Error(check.errors.join());
  return new CompiledRuleSet(7, check.ruleSet, { jwt });
})();

const explain = (path: string, headers: Record<string, string> = {}, guards = []) =>
  explainRequest(rules, { method: 'GET', path, headers }, guards);

describe('explainRequest', () => {
  it('says what the answer must reflect, by the route’s consistency', () => {
    const caller = '11111111-1111-4111-8111-111111111111';
    const bearer = `Bearer ${jwt.issue({ id: caller, role: 'customer' }).accessToken}`;
    expect(explain('/products/P-1', { Authorization: bearer }).awaits).toEqual([
      'product:p-1',
      `customer:${caller}`,
      'order:*',
    ]);
    expect(explain('/products/P-1').awaits).toEqual(['product:p-1', 'order:*']);
    expect(explain('/live/a')).not.toHaveProperty('awaits');
  });

  it('gives the route, side, upstream and its URLs, and the route’s settings', () => {
    expect(explain('/live/a?b=c')).toEqual({
      version: 7,
      method: 'GET',
      path: '/live/a',
      route: { id: 'live', group: null, mode: 'live', target: 'svc', percent: null, stickyBy: null },
      side: 'target',
      upstream: 'svc',
      upstreamUrls: ['http://10.0.0.1:80', 'http://10.0.0.2:80'],
      shadowTo: null,
      reason: 'route live is live on svc',
      guard: null,
      timeoutMs: 500,
      retries: 1,
      fallback: true,
    });
  });

  it('names the shadow target', () => {
    expect(explain('/shadow')).toMatchObject({ side: 'legacy', upstream: 'legacy', shadowTo: 'svc' });
  });

  it('reads headers in any case', () => {
    expect(explain('/canary', { 'X-User': 'u1' })).toMatchObject({ side: 'target', upstream: 'svc' });
    expect(explain('/canary')).toMatchObject({
      side: 'legacy',
      reason: 'route canary is a 100 % canary; the caller has no header:x-user key',
    });
  });

  it('sends a route whose guard tripped to legacy, and says why', () => {
    const guard = { route: 'live', target: 'svc', reason: 'p99 900 ms > 500 ms', since: '2025-01-01T00:00:00.000Z' };
    expect(explainRequest(rules, { method: 'GET', path: '/live/x', headers: {} }, [guard])).toMatchObject({
      side: 'legacy',
      upstream: 'legacy',
      upstreamUrls: ['http://127.0.0.1:3000'],
      reason: 'route live is live on svc; but its guard has tripped (p99 900 ms > 500 ms), so legacy answers',
      guard: { reason: 'p99 900 ms > 500 ms', since: '2025-01-01T00:00:00.000Z' },
    });
  });

  it('refuses a path the facade would refuse', () => {
    expect(() => explain('/live/%2e%2e/admin')).toThrow(ValidationFailedError);
    expect(() => explain('/live/%2e%2e/admin')).toThrow('path: the path contains a . or .. segment');
  });

  describe('a write with an Idempotency-Key', () => {
    const keyed = (pin: Parameters<typeof explainRequest>[3]) =>
      explainRequest(rules, { method: 'POST', path: '/live/a', headers: { 'Idempotency-Key': 'k-1' } }, [], pin);

    it('goes where its key was first taken, and says so', () => {
      expect(keyed({ upstream: 'legacy', expiresInMs: 60_000 })).toMatchObject({
        route: { id: 'live' },
        side: 'legacy',
        upstream: 'legacy',
        upstreamUrls: ['http://127.0.0.1:3000'],
        fallback: false,
        idempotencyPin: { upstream: 'legacy', expiresInMs: 60_000 },
        reason: 'pinned by Idempotency-Key to legacy, which took the key first (the rules: route live is live on svc)',
      });
    });

    it('follows the rules while its key is free, or pinned to an upstream gone from them', () => {
      expect(keyed(null)).toMatchObject({
        upstream: 'svc',
        fallback: false,
        idempotencyPin: null,
        reason: 'route live is live on svc; its Idempotency-Key is free: the request pins it to svc',
      });
      expect(keyed({ upstream: 'old', expiresInMs: 5 })).toMatchObject({
        upstream: 'svc',
        reason: 'route live is live on svc (its Idempotency-Key was pinned to old, gone)',
      });
    });

    it('says when the pins cannot be read', () => {
      expect(keyed('unavailable')).toMatchObject({
        upstream: 'svc',
        reason: 'route live is live on svc; Idempotency-Key pins are unavailable (Redis)',
      });
      expect(keyed('unavailable')).not.toHaveProperty('idempotencyPin');
    });
  });
});
