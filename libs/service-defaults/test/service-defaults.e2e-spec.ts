import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ConfigValidationError, MAX_BODY_BYTES, ShutdownState, shutDownGracefully } from '@app/service-defaults';
import { LogCapture, SwitchableCheck, buildFixtureApp } from './fixture/fixture-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ID = '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10';

describe('service defaults', () => {
  let app: NestExpressApplication;
  let logs: LogCapture;
  let url: string;

  beforeAll(async () => {
    ({ app, logs } = await buildFixtureApp());
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app.close());

  describe('errors', () => {
    it('answers a domain error with its catalog status and the error body', async () => {
      const response = await request(url).get(`/widgets/${ID.toUpperCase()}`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        code: 'WIDGET_NOT_FOUND',
        message: `No widget ${ID}.`,
      });
    });

    it('hides unexpected errors behind a 500 and logs them', async () => {
      const response = await request(url).get('/widgets/boom');
      expect(response.body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        code: 'INTERNAL_ERROR',
        message: 'An unexpected error occurred.',
      });
      expect(JSON.stringify(response.body)).not.toContain('secret');
      expect(
        logs.lines.some((line) => line.level === 'error' && String(line.msg).includes('secret internal detail')),
      ).toBe(true);
    });

    it('answers a domain code missing from the catalog with a 500', async () => {
      const response = await request(url).get('/widgets/undeclared');
      expect(response.status).toBe(500);
      expect(response.body.code).toBe('INTERNAL_ERROR');
    });

    it('lists every validation problem with where it is', async () => {
      const response = await request(url).post('/widgets').send({ size: 11, extra: true });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.message).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^name: /),
          expect.stringMatching(/^size: /),
          expect.stringMatching(/extra/),
        ]),
      );
    });

    it('names the path parameter that is not a UUID', async () => {
      const response = await request(url).get('/widgets/not-a-uuid');
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', message: ['id: must be a UUID'] });
    });

    it.each([
      ['malformed JSON', '{"name": ', 400, 'MALFORMED_JSON'],
      ['a body over the limit', JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }), 413, 'PAYLOAD_TOO_LARGE'],
    ])('answers %s', async (_name, body, status, code) => {
      const response = await request(url).post('/widgets').set('content-type', 'application/json').send(body);
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ statusCode: status, code });
    });

    it('accepts a body of exactly the limit', async () => {
      const padding = MAX_BODY_BYTES - JSON.stringify({ name: '', size: 1 }).length;
      const body = JSON.stringify({ name: 'x'.repeat(padding), size: 1 });
      expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
      const response = await request(url).post('/widgets').set('content-type', 'application/json').send(body);
      expect(response.status).toBe(201);
    });

    it('answers an unknown route with ROUTE_NOT_FOUND', async () => {
      const response = await request(url).delete('/widgets');
      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        code: 'ROUTE_NOT_FOUND',
        message: 'No route answers this method and path.',
      });
    });
  });

  describe('request ids and logs', () => {
    it('generates a request id and returns it', async () => {
      const response = await request(url).get('/widgets/slow?ms=0');
      expect(response.headers['x-request-id']).toMatch(UUID);
    });

    it('keeps a well-formed X-Request-Id and replaces a bad one', async () => {
      const kept = await request(url).get('/widgets/slow?ms=0').set('x-request-id', 'trace-abc.123');
      expect(kept.headers['x-request-id']).toBe('trace-abc.123');
      const replaced = await request(url).get('/widgets/slow?ms=0').set('x-request-id', 'x'.repeat(129));
      expect(replaced.headers['x-request-id']).toMatch(UUID);
    });

    it('puts the request id on every line logged while handling the request', async () => {
      await request(url).get('/widgets/jammed').set('x-request-id', 'req-jammed-1');
      const lines = logs.lines.filter((line) => line.requestId === 'req-jammed-1');
      expect(lines.map((line) => line.msg)).toEqual(['about to fail', 'request completed']);
      expect(lines[1]).toMatchObject({
        level: 'warn',
        service: 'fixture',
        req: { method: 'GET', url: '/widgets/jammed' },
        res: { statusCode: 409 },
      });
      expect(typeof lines[1]?.time).toBe('string');
    });

    it('never logs the Authorization or Cookie header', async () => {
      await request(url)
        .get('/widgets/slow?ms=0')
        .set('authorization', 'Bearer top-secret')
        .set('cookie', 'session=cookie-secret');
      expect(JSON.stringify(logs.lines)).not.toContain('top-secret');
      expect(JSON.stringify(logs.lines)).not.toContain('cookie-secret');
    });

    it.each([
      ['malformed JSON', '{"name": ', 400],
      ['a body over the limit', JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }), 413],
    ])('gives a request refused for %s its id and one log line', async (_name, body, status) => {
      const id = `refused-${status}`;
      const kept = await request(url)
        .post('/widgets')
        .set('content-type', 'application/json')
        .set('x-request-id', id)
        .send(body);
      expect(kept.status).toBe(status);
      expect(kept.headers['x-request-id']).toBe(id);
      const generated = await request(url).post('/widgets').set('content-type', 'application/json').send(body);
      expect(generated.headers['x-request-id']).toMatch(UUID);
      for (const requestId of [id, generated.headers['x-request-id']]) {
        expect(logs.lines.filter((line) => line.requestId === requestId)).toEqual([
          expect.objectContaining({
            level: 'warn',
            msg: 'request completed',
            req: { method: 'POST', url: '/widgets' },
            res: { statusCode: status },
            responseTime: expect.any(Number),
          }),
        ]);
      }
    });

    it('does not log health and metrics requests, but gives them an id', async () => {
      for (const path of ['/health/live', '/health/ready', '/metrics', '/health/live?probe=1']) {
        const response = await request(url).get(path).set('x-request-id', `quiet-${path}`);
        expect(response.headers['x-request-id']).toBe(`quiet-${path}`);
      }
      expect(logs.lines.filter((line) => String(line.requestId).startsWith('quiet-'))).toEqual([]);
    });
  });

  describe('metrics', () => {
    it('counts requests by route pattern and status class, with latency and process metrics', async () => {
      await request(url).get(`/widgets/${ID}`);
      await request(url).get('/no/such/route');
      const response = await request(url).get('/metrics');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('text/plain');
      expect(response.text).toMatch(
        /http_requests_total\{method="GET",route="\/widgets\/:id",status_class="4xx",service="fixture"\} [1-9]/,
      );
      expect(response.text).toMatch(/http_requests_total\{method="GET",route="unmatched",status_class="4xx"/);
      expect(response.text).toContain('http_request_duration_seconds_bucket{le="0.005"');
      expect(response.text).toContain('process_cpu_user_seconds_total');
      expect(response.text).not.toContain(ID);
    });
  });

  describe('health', () => {
    afterEach(() => {
      SwitchableCheck.up = true;
    });

    it('is live and ready while its dependencies answer', async () => {
      const live = await request(url).get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('ok');
      const ready = await request(url).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.details).toMatchObject({ lifecycle: { status: 'up' }, 'widget-store': { status: 'up' } });
    });

    it('is not ready while a dependency is down, and says which', async () => {
      SwitchableCheck.up = false;
      const ready = await request(url).get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        error: { 'widget-store': { status: 'down', message: 'widget store unreachable' } },
      });
      expect((await request(url).get('/health/live')).status).toBe(200);
    });
  });
});

describe('request logs at LOG_LEVEL=warn', () => {
  let app: NestExpressApplication;
  let logs: LogCapture;
  let url: string;

  beforeAll(async () => {
    ({ app, logs } = await buildFixtureApp({ LOG_LEVEL: 'warn' }));
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app.close());

  it('logs the requests that fail, and nothing for those that succeed', async () => {
    await request(url).get('/widgets/slow?ms=0').set('x-request-id', 'warn-ok');
    await request(url).get('/widgets/jammed').set('x-request-id', 'warn-jammed');
    await request(url).get('/widgets/boom').set('x-request-id', 'warn-boom');
    const byRequest = (id: string) => logs.lines.filter((line) => line.requestId === id).map((line) => line.level);
    expect(byRequest('warn-ok')).toEqual([]);
    // The jammed widget's own info line is below the level; its request line is not.
    expect(byRequest('warn-jammed')).toEqual(['warn']);
    expect(byRequest('warn-boom')).toEqual(['error', 'error']);
  });
});

describe('configuration', () => {
  it.each([
    ['PORT', 'abc', 'PORT is "abc"; allowed: an integer from 0 to 65535'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL is "loud"; allowed: one of fatal, error, warn, info, debug, trace, silent'],
    ['SHUTDOWN_TIMEOUT_MS', '-1', 'SHUTDOWN_TIMEOUT_MS is "-1"; allowed: an integer from 0 to 600000'],
  ])('stops the app at start-up when %s is %j', async (name, value, message) => {
    const built = buildFixtureApp({ [name]: value });
    await expect(built).rejects.toBeInstanceOf(ConfigValidationError);
    await expect(built).rejects.toThrow(message);
  });
});

describe('graceful shutdown', () => {
  async function listening() {
    const { app } = await buildFixtureApp({ LOG_LEVEL: 'silent' });
    await app.listen(0, '127.0.0.1');
    return { app, url: await app.getUrl() };
  }

  it('turns readiness down, finishes in-flight requests and refuses new connections', async () => {
    const { app, url } = await listening();
    // supertest sends on then(); start the request now.
    const inFlight = request(url)
      .get('/widgets/slow?ms=400')
      .then((response) => response);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopping = shutDownGracefully(app, 5_000);
    expect(app.get(ShutdownState).draining).toBe(true);
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ waited: 400 });
    await stopping;
    await expect(request(url).get('/health/live')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('cuts requests that outlive the timeout', async () => {
    const { app, url } = await listening();
    const inFlight = request(url)
      .get('/widgets/slow?ms=5000')
      .then(
        (response) => response.status,
        (error: Error) => error.message,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await shutDownGracefully(app, 200);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(await inFlight).toMatch(/socket hang up|ECONNRESET/);
  });
});
