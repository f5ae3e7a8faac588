import { randomUUID } from 'node:crypto';
import { JwtCodec } from '@app/auth';
import { TEST_JWT_SECRET, eventually } from '../support/rule-store-harness';
import { AdminHarness } from '../support/admin-harness';

describe('admin routing API: explain, traffic, guards, status', () => {
  let admin: AdminHarness;
  const jwt = new JwtCodec(TEST_JWT_SECRET);
  const bearer = (id: string) => `Bearer ${jwt.issue({ id, role: 'customer' }).accessToken}`;

  beforeAll(async () => {
    admin = await AdminHarness.start();
    const author = { author: 'test', reason: 'set up' };
    await admin.store.changeRoute(
      'products-read',
      { mode: 'canary', percent: 50, stickyBy: 'jwt.sub' },
      { expectedVersion: 1, ...author },
    );
    await admin.store.changeGroup('orders', { mode: 'shadow' }, { expectedVersion: 2, ...author });
    await eventually(() => admin.sync.rules.current.version === 3);
  });
  afterAll(() => admin.close());

  const explain = (body: object) => admin.http().post('/admin/explain').set(admin.auth).send(body);

  describe('POST /admin/explain', () => {
    it('explains a request no route matches', async () => {
      const response = await explain({ method: 'get', path: '/api/customers/me' }).expect(200);
      expect(response.body).toEqual({
        version: 3,
        method: 'GET',
        path: '/api/customers/me',
        route: null,
        side: 'legacy',
        upstream: 'legacy',
        upstreamUrls: ['http://127.0.0.1:3000'],
        shadowTo: null,
        reason: 'no route matched',
        guard: null,
        timeoutMs: 10_000,
        retries: 0,
        fallback: false,
      });
    });

    it('explains a sticky canary by the caller’s JWT sub, the same way each time', async () => {
      const sides = new Map<string, string>();
      for (let i = 0; i < 40; i++) {
        const id = randomUUID();
        const response = await explain({
          method: 'GET',
          path: '/api/products/7?x=1',
          headers: { Authorization: bearer(id) },
        }).expect(200);
        expect(response.body).toMatchObject({
          path: '/api/products/7',
          route: {
            id: 'products-read',
            group: null,
            mode: 'canary',
            target: 'catalog',
            percent: 50,
            stickyBy: 'jwt.sub',
          },
          reason: expect.stringMatching(
            /^route products-read is a 50 % canary; the caller's bucket \d+ is (not )?below 5000$/,
          ),
        });
        expect(response.body.upstream).toBe(response.body.side === 'target' ? 'catalog' : 'legacy');
        sides.set(id, response.body.side);
      }
      expect(new Set(sides.values())).toEqual(new Set(['target', 'legacy']));
      const [id, side] = [...sides.entries()][0] as [string, string];
      const again = await explain({ method: 'GET', path: '/api/products/7', headers: { authorization: bearer(id) } });
      expect(again.body.side).toBe(side);
    });

    it('keeps a caller without the sticky key on legacy', async () => {
      const response = await explain({ method: 'GET', path: '/api/products/7' }).expect(200);
      expect(response.body).toMatchObject({
        side: 'legacy',
        upstream: 'legacy',
        reason: 'route products-read is a 50 % canary; the caller has no jwt.sub key',
      });
    });

    it('names the shadow target of a route in shadow mode', async () => {
      const response = await explain({ method: 'POST', path: '/api/orders' }).expect(200);
      expect(response.body).toMatchObject({
        route: { id: 'orders-write', group: 'orders', mode: 'shadow' },
        side: 'legacy',
        upstream: 'legacy',
        shadowTo: 'orders',
        reason: 'route orders-write is in shadow mode: legacy answers',
      });
    });

    it('says when a tripped guard keeps a route on legacy', async () => {
      await admin.store.changeGroup('orders', { mode: 'live' }, { expectedVersion: 3, author: 't', reason: 'live' });
      await eventually(() => admin.sync.rules.current.version === 4);
      admin.stats.guards = [
        {
          route: 'orders-read',
          target: 'orders',
          reason: 'error rate 0.4 > 0.25 over 60 s',
          since: '2025-01-01T00:00:00.000Z',
        },
      ];
      try {
        const tripped = await explain({ method: 'GET', path: '/api/orders/1' }).expect(200);
        expect(tripped.body).toMatchObject({
          version: 4,
          side: 'legacy',
          upstream: 'legacy',
          upstreamUrls: ['http://127.0.0.1:3000'],
          reason:
            'route orders-read is live on orders; but its guard has tripped (error rate 0.4 > 0.25 over 60 s), so legacy answers',
          guard: { reason: 'error rate 0.4 > 0.25 over 60 s', since: '2025-01-01T00:00:00.000Z' },
        });
        const live = await explain({ method: 'POST', path: '/api/orders' }).expect(200);
        expect(live.body).toMatchObject({
          side: 'target',
          upstream: 'orders',
          upstreamUrls: ['http://127.0.0.1:3002'],
          guard: null,
        });
      } finally {
        admin.stats.guards = [];
      }
    });

    it.each([
      ['a dot segment', { method: 'GET', path: '/api/../admin' }, ['path: the path contains a . or .. segment']],
      [
        'an encoded slash',
        { method: 'GET', path: '/api/products%2F1' },
        ['path: the path contains a backslash, NUL or an encoded slash'],
      ],
      ['a target that is not a path', { method: 'GET', path: 'products' }, ['path: the request target is not a path']],
      ['a bad method', { method: 'GE T', path: '/x' }, ['method: must be an HTTP method such as GET']],
      ['no path', { method: 'GET' }, ['path: Invalid input: expected string, received undefined']],
      [
        'headers that are not strings',
        { method: 'GET', path: '/x', headers: { a: 1 } },
        ['headers.a: Invalid input: expected string, received number'],
      ],
    ])('refuses %s (400 VALIDATION_FAILED)', async (_what, body, message) => {
      const response = await explain(body).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message });
    });
  });

  describe('GET /admin/traffic', () => {
    it('lists every route with its split over the minutes asked for', async () => {
      admin.stats.traffic = [
        { route: 'orders-read', total: 120, upstreams: { legacy: 30, orders: 90 } },
        { route: 'gone', total: 5, upstreams: { legacy: 5 } },
        { route: '-', total: 12, upstreams: { legacy: 12 } },
      ];
      const response = await admin.http().get('/admin/traffic?minutes=2').set(admin.auth).expect(200);
      expect(admin.stats.asked.at(-1)).toBe(2);
      expect(response.body).toMatchObject({ minutes: 2, since: expect.any(String) });
      expect(response.body.version).toBe(admin.sync.rules.current.version);
      expect(response.body.routes.map((r: { routeId: string | null }) => r.routeId)).toEqual([
        'products-read',
        'orders-read',
        'orders-write',
        'gone',
        null,
      ]);
      expect(response.body.routes[0]).toMatchObject({ mode: 'canary', percent: 50, total: 0, targetShare: null });
      expect(response.body.routes[1]).toEqual({
        routeId: 'orders-read',
        group: 'orders',
        mode: 'live',
        target: 'orders',
        percent: null,
        total: 120,
        legacyRequests: 30,
        targetRequests: 90,
        targetShare: 0.75,
        upstreams: { legacy: 30, orders: 90 },
      });
      expect(response.body.routes[3]).toMatchObject({ routeId: 'gone', mode: null, total: 5, legacyRequests: 5 });
      expect(response.body.routes[4]).toMatchObject({ routeId: null, mode: null, total: 12, targetShare: 0 });
    });

    it('defaults to 5 minutes and refuses more than 60', async () => {
      await admin.http().get('/admin/traffic').set(admin.auth).expect(200);
      expect(admin.stats.asked.at(-1)).toBe(5);
      const response = await admin.http().get('/admin/traffic?minutes=61').set(admin.auth).expect(400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: ['minutes: Too big: expected number to be <=60'],
      });
    });
  });

  it('GET /admin/guards lists the tripped guards', async () => {
    admin.stats.guards = [
      { route: 'orders-read', target: 'orders', reason: 'p99 900 ms > 500 ms', since: '2025-01-01T00:00:00.000Z' },
    ];
    try {
      const response = await admin.http().get('/admin/guards').set(admin.auth).expect(200);
      expect(response.body).toEqual({ guards: admin.stats.guards });
    } finally {
      admin.stats.guards = [];
    }
  });

  it('GET /admin/circuits lists the circuit breakers', async () => {
    admin.stats.breakers = [{ upstream: 'orders', state: 'open', since: '2025-01-01T00:00:00.000Z' }];
    const response = await admin.http().get('/admin/circuits').set(admin.auth).expect(200);
    expect(response.body).toEqual({ circuits: admin.stats.breakers });
  });

  it('GET /admin/status tells the version this instance routes with', async () => {
    const response = await admin.http().get('/admin/status').set(admin.auth).expect(200);
    expect(response.body).toEqual({
      state: 'synced',
      activeVersion: 4,
      storeVersion: 4,
      lastCheckAt: expect.any(String),
      degradedSince: null,
      problem: null,
      // The harness's sync keeps no history copy.
      history: null,
    });
  });
});
