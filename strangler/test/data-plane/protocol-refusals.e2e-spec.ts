import { malformedRequests, rawHttp } from '../../../tools/testing/raw-http';
import { type FacadeHarness, startFacade, upstreams } from '../support/facade-harness';
import { type StubUpstream, closeAll, startStubUpstream } from '../support/stub-upstream';

/**
 * Every answer the facade makes itself speaks the API: also the refusals of Node's parser, a
 * missing or repeated Host, CONNECT, and a bad chunk in a body under way. None reaches an upstream
 * with an answer of its own, and each carries the request id and the routing headers.
 */
describe('data plane: refusals of malformed HTTP', () => {
  let legacy: StubUpstream;
  let facade: FacadeHarness;

  beforeAll(async () => {
    legacy = await startStubUpstream('legacy');
    facade = await startFacade({ legacy: 'legacy', upstreams: upstreams({ legacy: legacy.url }), routes: [] });
  });
  afterAll(() => closeAll(facade, legacy));

  it.each(malformedRequests('/api/customers'))('answers %s with the error body', async (_name, text, status, code) => {
    const answer = await rawHttp(facade.port, text);

    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.json).toEqual({ statusCode: status, error: expect.any(String), code, message: expect.any(String) });
    expect(answer.headers['x-request-id']).toMatch(/^[\x21-\x7e]{1,128}$/);
    expect(answer.headers['x-strangler-route']).toBe('-');
    expect(answer.headers['x-strangler-upstream']).toBe('-');
  });

  it('keeps the caller’s request id on a refused Host', async () => {
    const answer = await rawHttp(
      facade.port,
      'GET /api/x HTTP/1.1\r\nHost: a\r\nHost: b\r\nX-Request-Id: two-hosts\r\nConnection: close\r\n\r\n',
    );
    expect(answer.status).toBe(400);
    expect(answer.headers['x-request-id']).toBe('two-hosts');
    expect(legacy.requests.some((request) => request.headers['x-request-id'] === 'two-hosts')).toBe(false);
  });

  it('refuses a WebSocket handshake with two Host headers, before any upstream', async () => {
    const before = legacy.requests.length;
    const answer = await rawHttp(
      facade.port,
      'GET /api/ws HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'MALFORMED_REQUEST' });
    expect(answer.headers['x-strangler-route']).toBe('-');
    expect(legacy.requests.length).toBe(before);
  });

  it('names the methods it relays on a refused CONNECT, and tunnels nothing', async () => {
    const before = legacy.requests.length;
    const answer = await rawHttp(facade.port, `CONNECT 127.0.0.1:${legacy.port} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    expect(legacy.requests.length).toBe(before);
  });

  it('still relays HTTP/1.0 without Host', async () => {
    const answer = await rawHttp(facade.port, 'GET /api/x HTTP/1.0\r\n\r\n');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ upstream: 'legacy', url: '/api/x' });
  });

  it('leaves the routing headers out when they are off', async () => {
    const quiet = await startFacade(
      { legacy: 'legacy', upstreams: upstreams({ legacy: legacy.url }), routes: [] },
      { routingHeaders: false },
    );
    try {
      const answer = await rawHttp(quiet.port, 'GET /api/x HTTP/1.1\r\nBad Header\r\n\r\n');
      expect(answer.json).toMatchObject({ code: 'MALFORMED_REQUEST' });
      expect(answer.headers['x-strangler-route']).toBeUndefined();
      expect(answer.headers['x-request-id']).toBeDefined();
    } finally {
      await quiet.close();
    }
  });

  it('tags a refused path with the routing headers, as every other answer', async () => {
    const answer = await rawHttp(facade.port, 'GET /api/../admin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(answer.headers['x-strangler-route']).toBe('-');
    expect(answer.headers['x-strangler-upstream']).toBe('-');
  });
});
