import { type FacadeHarness, startFacade, upstreams } from '../support/facade-harness';
import { RuleStoreHarness } from '../support/rule-store-harness';
import { StranglerInstance } from '../support/strangler-instance';
import { TestClient, rawRequest } from '../support/http-client';
import { type StubUpstream, closeAll, startStubUpstream } from '../support/stub-upstream';

const upgradeRequest = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;

describe('data plane: nothing internal on the public port', () => {
  let legacy: StubUpstream;
  let ops: StubUpstream;
  let facade: FacadeHarness;
  const client = new TestClient();

  beforeAll(async () => {
    [legacy, ops] = await Promise.all([startStubUpstream('legacy'), startStubUpstream('ops')]);
    facade = await startFacade({
      legacy: 'legacy',
      upstreams: upstreams({ legacy: legacy.url, ops: ops.url }),
      routes: [
        { id: 'everything', match: { methods: ['DELETE'], path: '/**' }, target: 'ops', mode: 'live' },
        { id: 'products', match: { path: '/api/products/**' }, target: 'ops', mode: 'legacy' },
      ],
    });
  });

  afterAll(() => closeAll(facade, client, legacy, ops));

  it.each([
    '/metrics',
    '/metrics/',
    '/METRICS',
    '/Metrics?format=json',
    '/%6Detrics',
    '//metrics',
    '/health',
    '/health/ready',
    '/health/live/',
    '/Health/Ready',
    '/health/%72eady',
    '/api-docs',
    '/api-docs/',
    '/api-docs-json',
    '/API-Docs-JSON',
    '/api-docs/swagger-ui-init.js',
  ])('answers %s with 404 ROUTE_NOT_FOUND and never reaches an upstream', async (path) => {
    const seen = legacy.requests.length + ops.requests.length;
    const answer = await client.get(`${facade.url}${path}`);
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'ROUTE_NOT_FOUND',
      message: 'No public route answers this path.',
    });
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['x-request-id']).toEqual(expect.any(String));
    // As the facade's other refusals: no route chose an upstream.
    expect(answer.headers).toMatchObject({ 'x-strangler-route': '-', 'x-strangler-upstream': '-' });
    expect(legacy.requests.length + ops.requests.length).toBe(seen);
  });

  it('refuses them in absolute form, with any method, and a catch-all route does not publish them', async () => {
    const absolute = await rawRequest(
      facade.port,
      'GET http://legacy.example/health/ready HTTP/1.1\r\nHost: legacy.example\r\nConnection: close\r\n\r\n',
    );
    expect(absolute.status).toBe(404);
    // DELETE /metrics matches the `/**` route, which does not count as routing it explicitly.
    expect((await client.send('DELETE', `${facade.url}/metrics`)).status).toBe(404);
    expect((await client.send('POST', `${facade.url}/api-docs-json`, { body: '{}' })).status).toBe(404);
    expect(legacy.requests.concat(ops.requests).map((seen) => seen.url)).not.toContainEqual(
      expect.stringMatching(/metrics|health|api-docs/i),
    );
  });

  it('refuses a WebSocket upgrade to them', async () => {
    const answer = await rawRequest(facade.port, upgradeRequest('/health/ready'));
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });

  it('still sends other unmatched paths, and look-alikes, to legacy', async () => {
    for (const path of ['/', '/api/customers/1', '/metricsx', '/metrics/extra', '/healthy', '/api/health', '/docs']) {
      const answer = await client.get(`${facade.url}${path}`);
      expect({ path, status: answer.status, upstream: answer.headers['x-upstream'] }).toEqual({
        path,
        status: 200,
        upstream: 'legacy',
      });
    }
    expect(legacy.requests.at(-1)?.url).toBe('/docs');
  });

  it('routes one that a route names explicitly, and the others stay refused', async () => {
    const previous = facade.rules.current.document;
    facade.swap({
      ...previous,
      routes: [
        { id: 'legacy-health', match: { methods: ['GET'], path: '/health/:probe' }, target: 'ops', mode: 'legacy' },
        { id: 'ops-metrics', match: { path: '/metrics' }, target: 'ops', mode: 'live' },
        ...previous.routes,
      ],
    });
    try {
      const health = await client.get(`${facade.url}/health/ready`);
      expect(health).toMatchObject({
        status: 200,
        headers: { 'x-upstream': 'legacy', 'x-strangler-route': 'legacy-health' },
      });
      expect(legacy.requests.at(-1)?.url).toBe('/health/ready');
      const metrics = await client.get(`${facade.url}/metrics`);
      expect(metrics).toMatchObject({
        status: 200,
        headers: { 'x-upstream': 'ops', 'x-strangler-route': 'ops-metrics' },
      });
      expect((await client.get(`${facade.url}/api-docs-json`)).status).toBe(404);
      // The route takes GET only: a POST to the same path is still not public.
      expect((await client.send('POST', `${facade.url}/health/ready`, { body: '{}' })).status).toBe(404);
    } finally {
      facade.swap(previous);
    }
  });

  it('is on in the facade built from the environment, and STRANGLER_INTERNAL_PATHS replaces the list', async () => {
    const harness = await new RuleStoreHarness().start();
    const rulesFile = harness.rulesFile({ legacy: 'legacy', upstreams: upstreams({ legacy: legacy.url }) });
    const byDefault = await StranglerInstance.start(harness, 'default', { STRANGLER_RULES_FILE: rulesFile });
    const own = await StranglerInstance.start(harness, 'own', {
      STRANGLER_RULES_FILE: rulesFile,
      STRANGLER_INTERNAL_PATHS: '/debug/**',
    });
    try {
      expect((await client.get(`${byDefault.dataUrl}/health/ready`)).json).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
      expect((await client.get(`${byDefault.dataUrl}/api/anything`)).headers['x-upstream']).toBe('legacy');
      expect((await client.get(`${own.dataUrl}/debug/vars`)).status).toBe(404);
      expect((await client.get(`${own.dataUrl}/health/ready`)).headers['x-upstream']).toBe('legacy');
      // explain says what the data plane does: the facade answers an internal path itself.
      const explained = await byDefault
        .admin()
        .post('/admin/explain')
        .set(byDefault.auth)
        .send({ method: 'GET', path: '/Health/Ready' })
        .expect(200);
      expect(explained.body).toMatchObject({
        route: null,
        upstream: '-',
        upstreamUrls: [],
        refused: { status: 404, code: 'ROUTE_NOT_FOUND' },
        reason: expect.stringMatching(/^an internal path \(STRANGLER_INTERNAL_PATHS\)/),
      });
      const ordinary = await byDefault
        .admin()
        .post('/admin/explain')
        .set(byDefault.auth)
        .send({ method: 'GET', path: '/api/anything' })
        .expect(200);
      expect(ordinary.body).toMatchObject({ upstream: 'legacy', side: 'legacy' });
      expect(ordinary.body.refused).toBeUndefined();
    } finally {
      await closeAll(byDefault, own);
      await harness.cleanup();
    }
  });

  it('takes a list of its own (STRANGLER_INTERNAL_PATHS)', async () => {
    const own = await startFacade(
      { legacy: 'legacy', upstreams: upstreams({ legacy: legacy.url }) },
      { internalPaths: ['/debug/**'] },
    );
    try {
      expect((await client.get(`${own.url}/debug/vars`)).status).toBe(404);
      expect(await own.metric('strangler_requests_total', { route: '-', status_class: '4xx' })).toBe(1);
      const metrics = await client.get(`${own.url}/metrics`);
      expect(metrics).toMatchObject({ status: 200, headers: { 'x-upstream': 'legacy' } });
    } finally {
      await own.close();
    }
  });
});
