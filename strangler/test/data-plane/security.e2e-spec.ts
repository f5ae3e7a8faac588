import { type FacadeHarness, startFacade, upstreams } from '../support/facade-harness';
import { rawRequest } from '../support/http-client';
import { type StubUpstream, closeAll, startStubUpstream } from '../support/stub-upstream';

/**
 * SECURITY: whatever a request says about hosts or paths, it reaches only the upstream its
 * path routes it to. `outsider` is a live server that is not in the rules: nothing may reach it.
 */
describe('data plane: a request reaches only configured upstreams', () => {
  let legacy: StubUpstream;
  let catalog: StubUpstream;
  let orders: StubUpstream;
  let outsider: StubUpstream;
  let facade: FacadeHarness;

  beforeAll(async () => {
    [legacy, catalog, orders, outsider] = await Promise.all(
      ['legacy', 'catalog', 'orders', 'outsider'].map((name) => startStubUpstream(name)),
    );
    facade = await startFacade({
      legacy: 'legacy',
      upstreams: upstreams({ legacy: legacy.url, catalog: catalog.url, orders: orders.url }),
      routes: [
        { id: 'products', match: { path: '/api/products/**' }, target: 'catalog', mode: 'live' },
        { id: 'orders', match: { path: '/api/orders/**' }, target: 'orders', mode: 'live' },
      ],
    });
  });

  afterEach(() => expect(outsider.requests).toEqual([]));
  afterAll(() => closeAll(facade, legacy, catalog, orders, outsider));

  const send = (requestLine: string, host = '127.0.0.1') =>
    rawRequest(facade.port, `${requestLine}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);

  const served = (answer: { status: number; json: unknown }) => {
    expect(answer.status).toBe(200);
    return answer.json as { upstream: string; url: string };
  };

  it('routes an absolute-form request line by its path only, and sends the path alone', async () => {
    const outsiderHost = `127.0.0.1:${outsider.port}`;
    const answer = served(await send(`GET http://${outsiderHost}/api/products/1?x=1 HTTP/1.1`, outsiderHost));
    expect(answer).toMatchObject({ upstream: 'catalog', url: '/api/products/1?x=1' });
    expect(catalog.requests.at(-1)?.headers.host).toBe(`127.0.0.1:${catalog.port}`);
  });

  it('ignores a Host header naming another server', async () => {
    const answer = served(await send('GET /api/anything HTTP/1.1', `127.0.0.1:${outsider.port}`));
    expect(answer.upstream).toBe('legacy');
    const seen = legacy.requests.at(-1)!;
    expect(seen.headers.host).toBe(`127.0.0.1:${legacy.port}`);
    expect(seen.headers['x-forwarded-host']).toBe(`127.0.0.1:${outsider.port}`);
  });

  it('treats a target starting with // as a path on the routed upstream', async () => {
    const answer = served(await send(`GET //127.0.0.1:${outsider.port}/api/x HTTP/1.1`));
    expect(answer).toMatchObject({ upstream: 'legacy', url: `//127.0.0.1:${outsider.port}/api/x` });
  });

  it.each([
    ['/api/products/../orders/1', 'dot segments'],
    ['/api/products/%2e%2e/orders/1', 'percent-encoded dot segments'],
    ['/api/products/%2E%2E/orders/1', 'upper-case percent-encoded dot segments'],
    ['/api/products/.%2e/orders/1', 'half-encoded dot segments'],
    ['/api/products/..%2forders/1', 'an encoded slash'],
    ['/api/products%2F..%2Forders/1', 'encoded slashes around dots'],
    ['/api/products/%5c..%5corders/1', 'encoded backslashes'],
    ['/api/products/..\\orders/1', 'a backslash'],
    ['/api/products/%00/1', 'an encoded NUL'],
    ['/api/products/%zz', 'an invalid percent-encoding'],
  ])('refuses %s (%s) with 400 VALIDATION_FAILED, reaching no upstream', async (target) => {
    const before = legacy.requests.length + catalog.requests.length + orders.requests.length;
    const answer = await send(`GET ${target} HTTP/1.1`);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('The request target is refused'),
    });
    expect(answer.headers['x-request-id']).toBeDefined();
    expect(legacy.requests.length + catalog.requests.length + orders.requests.length).toBe(before);
  });

  it('resolves dot segments of an absolute-form target before matching: the path matched is the path sent', async () => {
    const plain = served(await send('GET http://127.0.0.1/api/products/../orders/1 HTTP/1.1'));
    expect(plain).toMatchObject({ upstream: 'orders', url: '/api/orders/1' });
    const encoded = served(await send('GET http://127.0.0.1/api/products/%2e%2E/orders/1 HTTP/1.1'));
    expect(encoded).toMatchObject({ upstream: 'orders', url: '/api/orders/1' });
  });

  it('does not tunnel CONNECT requests anywhere', async () => {
    const answer = await rawRequest(
      facade.port,
      `CONNECT 127.0.0.1:${outsider.port} HTTP/1.1\r\nHost: 127.0.0.1:${outsider.port}\r\n\r\n`,
    );
    expect(answer.status).toBe(405);
    expect(answer.json).toMatchObject({ statusCode: 405, code: 'METHOD_NOT_ALLOWED' });
  });

  it('answers a request Node cannot parse with the API error body', async () => {
    const answer = await rawRequest(facade.port, 'GET /api/x HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ statusCode: 400, code: 'MALFORMED_REQUEST' });
  });

  it('does not take a route-changing path from a header', async () => {
    const answer = served(
      await rawRequest(
        facade.port,
        'GET /api/products/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Original-URL: /api/orders/1\r\nX-Rewrite-URL: /api/orders/1\r\nConnection: close\r\n\r\n',
      ),
    );
    expect(answer).toMatchObject({ upstream: 'catalog', url: '/api/products/1' });
  });
});
