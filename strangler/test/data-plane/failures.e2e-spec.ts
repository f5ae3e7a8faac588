import type { RouteRule, RuleSetInput } from '../../src/rules';
import { type FacadeHarness, startFacade, upstreams } from '../support/facade-harness';
import { TestClient } from '../support/http-client';
import {
  type StubHandler,
  type StubUpstream,
  closeAll,
  refusingUrl,
  startStubUpstream,
} from '../support/stub-upstream';

const never: StubHandler = () => undefined;
const failing =
  (status: number): StubHandler =>
  (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'text/plain', 'x-failing': 'yes' });
      res.end(`failed with ${status}`);
    });
  };

const errorBody = (statusCode: number, error: string, code: string) => ({
  statusCode,
  error,
  code,
  message: expect.any(String),
});

describe('data plane: failures, retries and fallback', () => {
  let legacy: StubUpstream;
  let target: StubUpstream;
  let refused: string;
  let facade: FacadeHarness;
  const client = new TestClient();

  const route = (overrides: Partial<RouteRule> = {}): RouteRule =>
    ({ id: 'items', match: { path: '/api/items/**' }, target: 'target', mode: 'live', ...overrides }) as RouteRule;

  const rules = (targetUrl: string | string[], overrides: Partial<RouteRule> = {}): RuleSetInput => ({
    legacy: 'legacy',
    upstreams: upstreams({ legacy: legacy.url, target: targetUrl }),
    routes: [route(overrides)],
  });

  beforeAll(async () => {
    [legacy, target] = await Promise.all([startStubUpstream('legacy'), startStubUpstream('target')]);
    refused = await refusingUrl();
    facade = await startFacade(rules(target.url));
  });

  beforeEach(() => {
    legacy.requests.length = 0;
    target.requests.length = 0;
  });

  afterAll(() => closeAll(facade, client, legacy, target));

  const items = `/api/items/1`;

  describe('timeouts', () => {
    it('answers 504 UPSTREAM_TIMEOUT when the upstream sends no headers within the route timeout', async () => {
      facade.swap(rules(target.url, { timeoutMs: 300 }));
      target.handle(never);
      const started = Date.now();
      const answer = await client.get(`${facade.url}${items}`);
      expect(answer.status).toBe(504);
      expect(answer.json).toEqual(errorBody(504, 'Gateway Timeout', 'UPSTREAM_TIMEOUT'));
      expect(answer.headers['x-strangler-upstream']).toBe('target');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(await facade.metric('strangler_upstream_errors_total', { upstream: 'target', kind: 'timeout' })).toBe(1);
    });

    it('cuts a response that goes quiet for longer than the timeout while streaming', async () => {
      facade.swap(rules(target.url, { timeoutMs: 300 }));
      target.handle((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first part;');
        setTimeout(() => res.write('second part;'), 200);
        // …and then nothing more.
      });
      const received: string[] = [];
      const outcome = await new Promise<string>((resolve) => {
        void client.agent.request({ origin: facade.url, path: items, method: 'GET' }).then((response) => {
          response.body.on('data', (chunk: Buffer) => received.push(chunk.toString()));
          response.body.on('error', () => resolve('cut'));
          response.body.on('end', () => resolve('ended'));
        });
      });
      expect(outcome).toBe('cut');
      expect(received.join('')).toBe('first part;second part;');
    });

    it('keeps a slow but steady stream going past the timeout', async () => {
      facade.swap(rules(target.url, { timeoutMs: 300 }));
      target.handle((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        let sent = 0;
        const tick = setInterval(() => {
          res.write(`${sent};`);
          if (++sent === 6) {
            clearInterval(tick);
            res.end();
          }
        }, 150);
      });
      const answer = await client.get(`${facade.url}${items}`);
      expect(answer.status).toBe(200);
      expect(answer.text).toBe('0;1;2;3;4;5;');
    });
  });

  describe('connection failures', () => {
    it('answers 502 UPSTREAM_UNAVAILABLE when the upstream refuses connections', async () => {
      facade.swap(rules(refused));
      const answer = await client.get(`${facade.url}${items}`);
      expect(answer.status).toBe(502);
      expect(answer.json).toEqual(errorBody(502, 'Bad Gateway', 'UPSTREAM_UNAVAILABLE'));
    });

    it('answers 502 when the upstream closes the connection without answering', async () => {
      facade.swap(rules(target.url));
      target.handle((req) => req.socket.destroy());
      const answer = await client.get(`${facade.url}${items}`);
      expect(answer.status).toBe(502);
      expect(answer.json).toEqual(errorBody(502, 'Bad Gateway', 'UPSTREAM_UNAVAILABLE'));
    });

    it('round-robins over an upstream’s URLs, skipping one that refused, for any method', async () => {
      target.handle(failing(200));
      facade.swap(rules([refused, target.url]));
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          client.send(i % 2 ? 'POST' : 'GET', `${facade.url}${items}`, { body: i % 2 ? '{"n":1}' : undefined }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(target.requests).toHaveLength(6);
      expect(target.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
    });
  });

  describe('retries', () => {
    it('retries an idempotent request `retries` times, then relays the last answer', async () => {
      facade.swap(rules(target.url, { retries: 2 }));
      target.handle(failing(503));
      const before = await facade.metric('strangler_retries_total', { route: 'items', upstream: 'target' });
      const answer = await client.get(`${facade.url}${items}`);
      expect(answer.status).toBe(503);
      expect(answer.text).toBe('failed with 503');
      expect(answer.headers['x-failing']).toBe('yes');
      expect(target.requests).toHaveLength(3);
      expect(await facade.metric('strangler_retries_total', { route: 'items', upstream: 'target' })).toBe(before + 2);
    });

    it('stops retrying at the first good answer', async () => {
      facade.swap(rules(target.url, { retries: 3 }));
      let calls = 0;
      target.handle((req, res, stub) => (++calls < 2 ? failing(500)(req, res, stub) : failing(200)(req, res, stub)));
      const answer = await client.get(`${facade.url}${items}`);
      expect(answer.status).toBe(200);
      expect(target.requests).toHaveLength(2);
    });

    it('never replays a POST without Idempotency-Key', async () => {
      facade.swap(rules(target.url, { retries: 3 }));
      target.handle(failing(503));
      const answer = await client.send('POST', `${facade.url}${items}`, { body: '{"amountCents":100}' });
      expect(answer.status).toBe(503);
      expect(target.requests).toHaveLength(1);
    });

    it('replays a bodiless POST carrying an Idempotency-Key, but not one whose body was already sent', async () => {
      facade.swap(rules(target.url, { retries: 2 }));
      target.handle(failing(503));
      await client.send('POST', `${facade.url}/api/items/1/cancel`, { headers: { 'idempotency-key': 'k-1' } });
      expect(target.requests).toHaveLength(3);
      target.requests.length = 0;
      const withBody = await client.send('POST', `${facade.url}${items}`, {
        headers: { 'idempotency-key': 'k-2', 'content-type': 'application/json' },
        body: '{"n":1}',
      });
      expect(withBody.status).toBe(503);
      expect(target.requests).toHaveLength(1);
    });
  });

  describe('fallback to legacy', () => {
    it('falls back for a GET when the target refuses connections', async () => {
      facade.swap(rules(refused, { fallback: true }));
      const answer = await client.get(`${facade.url}${items}`);
      expect(answer.status).toBe(200);
      expect((answer.json as { upstream: string }).upstream).toBe('legacy');
      expect(answer.headers['x-strangler-upstream']).toBe('legacy');
      expect(answer.headers['x-strangler-route']).toBe('items');
      expect(await facade.metric('strangler_fallbacks_total', { route: 'items', from: 'target' })).toBeGreaterThan(0);
    });

    it('falls back for a GET when the target times out or answers 5xx', async () => {
      facade.swap(rules(target.url, { fallback: true, timeoutMs: 300 }));
      target.handle(never);
      const timedOut = await client.get(`${facade.url}${items}`);
      expect((timedOut.json as { upstream: string }).upstream).toBe('legacy');
      target.handle(failing(500));
      const failed = await client.get(`${facade.url}${items}`);
      expect((failed.json as { upstream: string }).upstream).toBe('legacy');
      expect(target.requests).toHaveLength(2);
    });

    it('does not fall back for a POST without Idempotency-Key: it gets the error, legacy never sees it', async () => {
      facade.swap(rules(refused, { fallback: true, retries: 2 }));
      const refusedAnswer = await client.send('POST', `${facade.url}${items}`, { body: '{"n":1}' });
      expect(refusedAnswer.status).toBe(502);
      expect(refusedAnswer.json).toEqual(errorBody(502, 'Bad Gateway', 'UPSTREAM_UNAVAILABLE'));
      facade.swap(rules(target.url, { fallback: true, timeoutMs: 300 }));
      target.handle(never);
      const timedOut = await client.send('POST', `${facade.url}${items}`, { body: '{"n":1}' });
      expect(timedOut.status).toBe(504);
      target.handle(failing(500));
      const failed = await client.send('POST', `${facade.url}${items}`, { body: '{"n":1}' });
      expect(failed.status).toBe(500);
      expect(failed.text).toBe('failed with 500');
      expect(legacy.requests).toEqual([]);
    });

    it('falls back for a keyed POST whose body the target never took, with the whole body', async () => {
      facade.swap(rules(refused, { fallback: true }));
      const body = JSON.stringify({ items: 'x'.repeat(50_000) });
      const answer = await client.send('POST', `${facade.url}${items}`, {
        headers: { 'idempotency-key': 'k-3', 'content-type': 'application/json' },
        body,
      });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ upstream: 'legacy', bodyBytes: Buffer.byteLength(body) });
    });
  });
});
