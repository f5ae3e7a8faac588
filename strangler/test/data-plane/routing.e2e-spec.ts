import { inCanary, stickyBucket } from '../../src/rules';
import { type FacadeHarness, startFacade, upstreams } from '../support/facade-harness';
import { TestClient, rawRequest } from '../support/http-client';
import { type StubUpstream, answerWithName, closeAll, startStubUpstream } from '../support/stub-upstream';

describe('data plane: routing', () => {
  let legacy: StubUpstream;
  let catalog: StubUpstream;
  let orders: StubUpstream;
  let facade: FacadeHarness;
  const client = new TestClient();

  beforeAll(async () => {
    [legacy, catalog, orders] = await Promise.all([
      startStubUpstream('legacy'),
      startStubUpstream('catalog'),
      startStubUpstream('orders'),
    ]);
    facade = await startFacade({
      legacy: 'legacy',
      upstreams: upstreams({ legacy: legacy.url, catalog: catalog.url, orders: orders.url }),
      routes: [
        { id: 'products-live', match: { methods: ['GET'], path: '/api/products/**' }, target: 'catalog', mode: 'live' },
        { id: 'customers-legacy', match: { path: '/api/customers/**' }, target: 'orders', mode: 'legacy' },
        {
          id: 'orders-canary',
          match: { path: '/api/orders/**' },
          target: 'orders',
          mode: 'canary',
          percent: 50,
          stickyBy: 'header:x-customer',
        },
        { id: 'stock-shadow', match: { path: '/api/stock/**' }, target: 'catalog', mode: 'shadow' },
      ],
    });
  });

  afterAll(() => closeAll(facade, client, legacy, catalog, orders));

  const servedBy = async (path: string, headers?: Record<string, string>) => {
    const answer = await client.get(`${facade.url}${path}`, headers);
    expect(answer.status).toBe(200);
    return { upstream: (answer.json as { upstream: string }).upstream, answer };
  };

  it('sends a request no route matches to legacy, tagged with route "-"', async () => {
    const { upstream, answer } = await servedBy('/api/unknown/thing?x=1');
    expect(upstream).toBe('legacy');
    expect(answer.headers['x-strangler-route']).toBe('-');
    expect(answer.headers['x-strangler-upstream']).toBe('legacy');
    expect(legacy.requests.at(-1)?.url).toBe('/api/unknown/thing?x=1');
  });

  it('sends a live route to its target, path and query unchanged', async () => {
    const { upstream, answer } = await servedBy('/api/products/abc?limit=5&q=caf%C3%A9');
    expect(upstream).toBe('catalog');
    expect(catalog.requests.at(-1)?.url).toBe('/api/products/abc?limit=5&q=caf%C3%A9');
    expect(answer.headers['x-strangler-route']).toBe('products-live');
    expect(answer.headers['x-strangler-upstream']).toBe('catalog');
  });

  it('keeps a live route to its methods: a POST there goes to legacy', async () => {
    const answer = await client.send('POST', `${facade.url}/api/products`, { body: '{}' });
    expect((answer.json as { upstream: string }).upstream).toBe('legacy');
  });

  it('relays HEAD answers without a body, keeping their Content-Length', async () => {
    const answer = await client.send('HEAD', `${facade.url}/api/things/1`);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(Number(answer.headers['content-length'])).toBeGreaterThan(0);
    expect(legacy.requests.at(-1)?.method).toBe('HEAD');
  });

  it('sends a legacy-mode route to legacy', async () => {
    expect((await servedBy('/api/customers/1')).upstream).toBe('legacy');
  });

  it('splits a canary by its sticky header, each caller always on the same side', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `customer-${i}`);
    const expected = keys.map((key) => (inCanary(stickyBucket('route:orders-canary', key), 50) ? 'orders' : 'legacy'));
    expect(new Set(expected)).toEqual(new Set(['orders', 'legacy']));
    for (let round = 0; round < 2; round++) {
      const served = await Promise.all(keys.map((key) => servedBy('/api/orders/1', { 'x-customer': key })));
      expect(served.map((s) => s.upstream)).toEqual(expected);
    }
    expect((await servedBy('/api/orders/1')).upstream).toBe('legacy');
  });

  it('answers a shadow route from legacy', async () => {
    const { upstream, answer } = await servedBy('/api/stock/1');
    expect(upstream).toBe('legacy');
    expect(answer.headers['x-strangler-route']).toBe('stock-shadow');
  });

  it('forwards X-Forwarded-*, sets the upstream Host, passes or creates X-Request-Id and traceparent', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const given = await client.get(`${facade.url}/api/products/1`, {
      'x-request-id': 'req-given-1',
      traceparent,
      tracestate: 'vendor=1',
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'evil.example',
    });
    expect(given.headers['x-request-id']).toBe('req-given-1');
    const seen = catalog.requests.at(-1)!.headers;
    expect(seen.host).toBe(`127.0.0.1:${catalog.port}`);
    expect(seen['x-request-id']).toBe('req-given-1');
    expect(seen.traceparent).toBe(traceparent);
    expect(seen.tracestate).toBe('vendor=1');
    expect(seen['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    // Without trustProxy, the caller's proto and host claims are replaced by this hop's.
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-host']).toBe(`127.0.0.1:${facade.port}`);

    const created = await client.get(`${facade.url}/api/products/1`, { traceparent: 'garbage', tracestate: 'v=2' });
    const createdSeen = catalog.requests.at(-1)!.headers;
    expect(created.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(createdSeen['x-request-id']).toBe(created.headers['x-request-id']);
    expect(createdSeen.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(createdSeen.tracestate).toBeUndefined();
    expect(createdSeen['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('believes X-Forwarded-Proto and -Host only with trustProxy', async () => {
    const trusting = await startFacade(
      { legacy: 'legacy', upstreams: upstreams({ legacy: legacy.url }) },
      { trustProxy: true },
    );
    try {
      await client.get(`${trusting.url}/x`, {
        'x-forwarded-for': '198.51.100.7, 10.0.0.1',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'shop.example',
      });
      const seen = legacy.requests.at(-1)!.headers;
      expect(seen['x-forwarded-proto']).toBe('https');
      expect(seen['x-forwarded-host']).toBe('shop.example');
      expect(seen['x-forwarded-for']).toBe('198.51.100.7, 10.0.0.1, 127.0.0.1');
    } finally {
      await trusting.close();
    }
  });

  it('strips hop-by-hop headers both ways and keeps every other upstream header as sent', async () => {
    legacy.handle((_req, res) => {
      res.writeHead(200, [
        ['Connection', 'X-Secret'],
        ['X-Secret', 'hop'],
        ['Keep-Alive', 'timeout=99'],
        ['Proxy-Connection', 'keep-alive'],
        ['Upgrade', 'h2c'],
        ['Trailer', 'X-Checksum'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['X-Mixed-Case', 'Value'],
        ['Content-Type', 'text/plain'],
      ] as unknown as string[]);
      res.end('ok');
    });
    try {
      const answer = await rawRequest(
        facade.port,
        [
          'GET /api/hop HTTP/1.1',
          'Host: 127.0.0.1',
          'Connection: close, X-Private',
          'X-Private: secret',
          'Keep-Alive: timeout=5',
          'Proxy-Connection: keep-alive',
          'TE: trailers',
          'Trailer: X-Foo',
          'X-Kept: yes',
          '',
          '',
        ].join('\r\n'),
      );
      expect(answer.status).toBe(200);
      expect(answer.text).toBe('ok');
      const seen = legacy.requests.at(-1)!.headers;
      for (const name of ['x-private', 'keep-alive', 'proxy-connection', 'te', 'trailer'])
        expect(seen[name]).toBeUndefined();
      expect(seen.connection).toBe('keep-alive');
      expect(seen['x-kept']).toBe('yes');
      for (const name of ['x-secret', 'keep-alive', 'proxy-connection', 'upgrade', 'trailer'])
        expect(answer.headers[name]).toBeUndefined();
      expect(answer.raw).toContain('Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n');
      expect(answer.raw).toContain('X-Mixed-Case: Value\r\n');
      expect(answer.headers['x-request-id']).toBeDefined();
    } finally {
      legacy.handle(answerWithName);
    }
  });

  it('leaves routing headers out when they are off, and counts traffic by route and upstream', async () => {
    const quiet = await startFacade(
      {
        legacy: 'legacy',
        upstreams: upstreams({ legacy: legacy.url, catalog: catalog.url }),
        routes: [{ id: 'p', match: { path: '/api/products/**' }, target: 'catalog', mode: 'live' }],
      },
      { routingHeaders: false },
    );
    try {
      const answer = await client.get(`${quiet.url}/api/products/1`);
      expect(answer.headers['x-strangler-route']).toBeUndefined();
      expect(answer.headers['x-strangler-upstream']).toBeUndefined();
      expect(answer.headers['x-request-id']).toBeDefined();
      await client.get(`${quiet.url}/api/products/2`);
      await client.get(`${quiet.url}/other`);
      const split = quiet.dataPlane.trafficSplit(5);
      expect(split.minutes).toBe(5);
      expect(split.routes).toEqual([
        { route: '-', total: 1, upstreams: { legacy: 1 } },
        { route: 'p', total: 2, upstreams: { catalog: 2 } },
      ]);
      expect(
        await quiet.metric('strangler_requests_total', { route: 'p', upstream: 'catalog', status_class: '2xx' }),
      ).toBe(2);
    } finally {
      await quiet.close();
    }
  });
});
