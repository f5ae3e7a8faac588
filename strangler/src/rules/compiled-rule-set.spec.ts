import { createHash } from 'node:crypto';
import { JwtCodec } from '@app/auth';
import jwt from 'jsonwebtoken';
import { ActiveRules } from './active-rules';
import { CompiledRuleSet, type RoutingDecision } from './compiled-rule-set';
import { checkRuleSet } from './check-rule-set';
import { DEFAULT_ROUTE_TIMEOUT_MS, type RuleSetInput } from './rule-set.schema';
import { toRoutingRequest } from './routing-request';

type RouteInput = NonNullable<RuleSetInput['routes']>[number];

const SECRET = 'compiled-rule-set-spec-secret';
const CODEC = new JwtCodec(SECRET);
const USER = '5f1f1b9e-7c1a-4a43-9a4e-1f0b2b7d8c01';

const bucketOf = (cohort: string, key: string) =>
  createHash('sha256').update(`${cohort}\u0000${key}`).digest().readUInt32BE(0) % 10_000;

function compile(routes: RouteInput[], version = 1, jwtCodec: JwtCodec | null = CODEC): CompiledRuleSet {
  const check = checkRuleSet({
    legacy: 'legacy',
    upstreams: { legacy: { url: 'http://127.0.0.1:3000' }, orders: { url: 'http://127.0.0.1:3002' } },
    routes,
  } satisfies RuleSetInput);
  if (!check.ok) throw new Error(check.errors.join('\n'));
  return new CompiledRuleSet(version, check.ruleSet, { jwt: jwtCodec ?? undefined });
}

const route = (overrides: Partial<RouteInput> = {}): RouteInput => ({
  id: 'orders',
  match: { path: '/api/orders/**' },
  target: 'orders',
  mode: 'live',
  ...overrides,
});

function decide(
  ruleSet: CompiledRuleSet,
  target = '/api/orders/1',
  headers: Record<string, string> = {},
  clientIp?: string,
  method = 'GET',
): RoutingDecision {
  const parsed = toRoutingRequest(method, target, headers, clientIp);
  if (!parsed.ok) throw new Error(parsed.reason);
  return ruleSet.decide(parsed.request);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('CompiledRuleSet.decide', () => {
  it.each<[RouteInput['mode'], RoutingDecision['side'], string, string]>([
    ['legacy', 'legacy', 'legacy', 'route orders is in legacy mode'],
    ['shadow', 'legacy', 'legacy', 'route orders is in shadow mode: legacy answers'],
    ['live', 'target', 'orders', 'route orders is live on orders'],
  ])('sends a %s route to %s', (mode, side, upstream, reason) => {
    const ruleSet = compile([route({ mode })]);
    expect(decide(ruleSet)).toEqual({
      route: ruleSet.document.routes[0],
      upstream,
      legacy: 'legacy',
      side,
      reason,
      timeoutMs: DEFAULT_ROUTE_TIMEOUT_MS,
      retries: 0,
      fallback: false,
    });
  });

  it('sends a request no route matches to legacy, with the defaults', () => {
    expect(decide(compile([route()]), '/api/products')).toEqual({
      route: undefined,
      upstream: 'legacy',
      legacy: 'legacy',
      side: 'legacy',
      reason: 'no route matched',
      timeoutMs: DEFAULT_ROUTE_TIMEOUT_MS,
      retries: 0,
      fallback: false,
    });
  });

  it("carries the route's timeout, retries and fallback", () => {
    expect(decide(compile([route({ timeoutMs: 1_500, retries: 2, fallback: true })]))).toMatchObject({
      timeoutMs: 1_500,
      retries: 2,
      fallback: true,
    });
  });

  it('exposes its version, document and legacy upstream', () => {
    const ruleSet = compile([route()], 7);
    expect(ruleSet.version).toBe(7);
    expect(ruleSet.legacy).toBe('legacy');
    expect(ruleSet.document.routes.map((r) => r.id)).toEqual(['orders']);
  });

  describe('canary', () => {
    const canary = (overrides: Partial<RouteInput> = {}) =>
      route({ mode: 'canary', percent: 100, stickyBy: 'header:X-User', ...overrides });

    it.each<[string, Partial<RouteInput>, Record<string, string>, string | undefined, string]>([
      ['a header', { stickyBy: 'header:X-User' }, { 'x-user': 'alice' }, undefined, 'alice'],
      ['a cookie', { stickyBy: 'cookie:uid' }, { cookie: 'theme=dark; uid=bob' }, undefined, 'bob'],
      ['the client address', { stickyBy: 'ip' }, {}, '198.51.100.4', '198.51.100.4'],
      [
        'a JWT sub',
        { stickyBy: 'jwt.sub' },
        bearer(CODEC.issue({ id: USER, role: 'customer' }).accessToken),
        undefined,
        USER,
      ],
      [
        'a JWT sub, lower-cased',
        { stickyBy: 'jwt.sub' },
        bearer(CODEC.issue({ id: USER.toUpperCase(), role: 'admin' }).accessToken),
        undefined,
        USER,
      ],
    ])('at 100 %% sends a caller keyed by %s to the target', (_name, overrides, headers, ip, key) => {
      const bucket = bucketOf('route:orders', key);
      expect(decide(compile([canary(overrides)]), '/api/orders/1', headers, ip)).toMatchObject({
        side: 'target',
        upstream: 'orders',
        reason: `route orders is a 100 % canary; the caller's bucket ${bucket} is below 10000`,
      });
    });

    it('at 0 % sends every caller to legacy, saying why', () => {
      const bucket = bucketOf('route:orders', 'alice');
      expect(decide(compile([canary({ percent: 0 })]), '/api/orders/1', { 'x-user': 'alice' })).toMatchObject({
        side: 'legacy',
        upstream: 'legacy',
        reason: `route orders is a 0 % canary; the caller's bucket ${bucket} is not below 0`,
      });
    });

    it('sends a caller to the side its bucket says', () => {
      const users = Array.from({ length: 200 }, (_, i) => `user-${i}`);
      const ruleSet = compile([canary({ percent: 37.5 })]);
      for (const user of users) {
        const bucket = bucketOf('route:orders', user);
        const decision = decide(ruleSet, '/api/orders/1', { 'x-user': user });
        expect([user, decision.side]).toEqual([user, bucket < 3_750 ? 'target' : 'legacy']);
        expect(decision.reason).toBe(
          `route orders is a 37.5 % canary; the caller's bucket ${bucket} is ${bucket < 3_750 ? '' : 'not '}below 3750`,
        );
      }
    });

    const otherCodec = new JwtCodec('another-secret-entirely');
    const nowS = Math.floor(Date.now() / 1000);
    it.each<[string, Partial<RouteInput>, Record<string, string>, string | undefined]>([
      ['no header', { stickyBy: 'header:x-user' }, {}, undefined],
      ['an empty header', { stickyBy: 'header:x-user' }, { 'x-user': '' }, undefined],
      ['no cookie', { stickyBy: 'cookie:uid' }, { cookie: 'theme=dark' }, undefined],
      ['no cookie header', { stickyBy: 'cookie:uid' }, {}, undefined],
      ['no client address', { stickyBy: 'ip' }, {}, undefined],
      ['no Authorization header', { stickyBy: 'jwt.sub' }, {}, undefined],
      ['a Basic Authorization header', { stickyBy: 'jwt.sub' }, { authorization: 'Basic YWxpY2U6c2VjcmV0' }, undefined],
      [
        'a JWT signed with another secret',
        { stickyBy: 'jwt.sub' },
        bearer(otherCodec.issue({ id: USER, role: 'customer' }).accessToken),
        undefined,
      ],
      [
        'an expired JWT',
        { stickyBy: 'jwt.sub' },
        bearer(CODEC.issue({ id: USER, role: 'customer' }, Date.now() - 16 * 60 * 1000).accessToken),
        undefined,
      ],
      [
        'a JWT with alg none',
        { stickyBy: 'jwt.sub' },
        bearer(jwt.sign({ sub: USER, role: 'customer', iat: nowS, exp: nowS + 600 }, '', { algorithm: 'none' })),
        undefined,
      ],
      [
        'a JWT with a tampered payload',
        { stickyBy: 'jwt.sub' },
        (() => {
          const [head, , signature] = CODEC.issue({ id: USER, role: 'customer' }).accessToken.split('.');
          const payload = Buffer.from(
            JSON.stringify({
              sub: '00000000-0000-4000-8000-000000000000',
              role: 'customer',
              iat: nowS,
              exp: nowS + 600,
            }),
          ).toString('base64url');
          return bearer(`${head}.${payload}.${signature}`);
        })(),
        undefined,
      ],
    ])('sends a caller with %s to legacy', (_name, overrides, headers, ip) => {
      const ruleSet = compile([canary(overrides)]);
      const stickyBy = ruleSet.document.routes[0]?.stickyBy;
      expect(decide(ruleSet, '/api/orders/1', headers, ip)).toMatchObject({
        side: 'legacy',
        upstream: 'legacy',
        reason: `route orders is a 100 % canary; the caller has no ${stickyBy} key`,
      });
    });

    it('counts no JWT when the rule set has no codec', () => {
      const ruleSet = compile([canary({ stickyBy: 'jwt.sub' })], 1, null);
      const headers = bearer(CODEC.issue({ id: USER, role: 'customer' }).accessToken);
      expect(decide(ruleSet, '/api/orders/1', headers).side).toBe('legacy');
    });

    it('keys a JWT caller by sub, whatever else is in the token', () => {
      const ruleSet = compile([canary({ stickyBy: 'jwt.sub', percent: 50 })]);
      const sides = (['customer', 'admin'] as const).map(
        (role) => decide(ruleSet, '/api/orders/1', bearer(CODEC.issue({ id: USER, role }).accessToken)).reason,
      );
      expect(sides[0]).toBe(sides[1]);
      expect(sides[0]).toContain(`bucket ${bucketOf('route:orders', USER)} `);
    });

    it('splits the routes of a group as one', () => {
      const group = { group: 'orders', mode: 'canary', percent: 50, stickyBy: 'header:x-user' } as const;
      const ruleSet = compile([
        route({ id: 'orders-list', match: { path: '/api/orders' }, ...group }),
        route({ id: 'orders-read', match: { path: '/api/orders/:id' }, ...group }),
        route({ id: 'orders-cancel', match: { path: '/api/orders/:id/cancel', methods: ['POST'] }, ...group }),
      ]);
      const users = Array.from({ length: 1_000 }, (_, i) => `user-${i}`);
      for (const user of users) {
        const headers = { 'x-user': user };
        const bucket = bucketOf('group:orders', user);
        const sides = [
          decide(ruleSet, '/api/orders', headers),
          decide(ruleSet, '/api/orders/9', headers),
          decide(ruleSet, '/api/orders/9/cancel', headers, undefined, 'POST'),
        ].map((decision) => decision.side);
        expect([user, ...sides]).toEqual([user, ...Array(3).fill(bucket < 5_000 ? 'target' : 'legacy')]);
      }
    });

    it('splits routes outside a group each on its own', () => {
      const canaryOn = (id: string, path: string) =>
        route({ id, match: { path }, mode: 'canary', percent: 50, stickyBy: 'header:x-user' });
      const ruleSet = compile([canaryOn('a', '/a'), canaryOn('b', '/b')]);
      const users = Array.from({ length: 1_000 }, (_, i) => `user-${i}`);
      const differ = users.filter(
        (user) => decide(ruleSet, '/a', { 'x-user': user }).side !== decide(ruleSet, '/b', { 'x-user': user }).side,
      );
      expect(differ.length).toBeGreaterThan(300);
      expect(differ.length).toBeLessThan(700);
    });
  });
});

describe('ActiveRules', () => {
  it('installs only a newer version and tells its listeners', () => {
    const active = new ActiveRules(compile([route()], 2));
    const seen: number[] = [];
    active.onSwap((rules) => seen.push(rules.version));
    expect(active.swap(compile([route()], 2))).toBe(false);
    expect(active.swap(compile([route()], 1))).toBe(false);
    expect(active.swap(compile([route({ mode: 'legacy' })], 3))).toBe(true);
    expect(active.current.version).toBe(3);
    expect(seen).toEqual([3]);
  });
});
