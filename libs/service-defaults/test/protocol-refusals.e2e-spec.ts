import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { malformedRequests, rawHttp } from '../../../tools/testing/raw-http';
import { eventually } from '../../../tools/testing/test-streams';
import { type LogCapture, buildFixtureApp } from './fixture/fixture-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every refusal of an app built with `createHttpService` speaks the API, also those of Node's parser. */
describe('service defaults: refusals before a route', () => {
  let app: NestExpressApplication;
  let logs: LogCapture;
  let port: number;

  beforeAll(async () => {
    ({ app, logs } = await buildFixtureApp());
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  it.each(malformedRequests('/widgets'))('answers %s with the error body', async (_name, text, status, code) => {
    const answer = await rawHttp(port, text);

    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.json).toEqual({ statusCode: status, error: expect.any(String), code, message: expect.any(String) });
    expect(answer.headers['x-request-id']).toMatch(/^[\x21-\x7e]{1,128}$/);
  });

  it('allows only the methods it serves on a refused CONNECT', async () => {
    const answer = await rawHttp(port, 'CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n');
    expect(answer.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    expect(answer.headers['x-request-id']).toMatch(UUID);
  });

  it.each([
    [
      'a header the parser refuses',
      'GET /widgets HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n',
      'MALFORMED_REQUEST',
      400,
    ],
    ['CONNECT', 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n', 'METHOD_NOT_ALLOWED', 405],
  ])('logs %s with the request id it answered', async (_name, text, code, status) => {
    const answer = await rawHttp(port, text);
    const requestId = answer.headers['x-request-id'];
    expect(requestId).toMatch(UUID);
    const line = await eventually(
      async () => logs.lines.find((logged) => logged.requestId === requestId),
      (found) => found !== undefined,
    );
    expect(line).toMatchObject({ level: 'warn', msg: 'request refused', code, res: { statusCode: status } });
  });

  it('logs a refused Host with the request id it answered', async () => {
    const answer = await rawHttp(
      port,
      'GET /widgets/jammed HTTP/1.1\r\nHost: a\r\nHost: b\r\nX-Request-Id: two-hosts\r\nConnection: close\r\n\r\n',
    );
    expect(answer.headers['x-request-id']).toBe('two-hosts');
    expect(answer.json).toMatchObject({
      code: 'MALFORMED_REQUEST',
      message: 'The request has more than one Host header.',
    });
    const line = await eventually(
      async () => logs.lines.find((logged) => logged.requestId === 'two-hosts'),
      (found) => found !== undefined,
    );
    expect(line).toMatchObject({ msg: 'request completed', res: { statusCode: 400 } });
  });

  it('still serves HTTP/1.0 without Host, and HTTP/1.1 with one', async () => {
    expect((await rawHttp(port, 'GET /health/live HTTP/1.0\r\n\r\n')).status).toBe(200);
    expect((await rawHttp(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).status).toBe(200);
  });

  it.each([
    ['__proto__', '{"name":"w","size":1,"__proto__":{"admin":true}}', 'body: Unrecognized key: "__proto__"'],
    ['constructor', '{"name":"w","size":1,"constructor":{"prototype":{}}}', 'body: Unrecognized key: "constructor"'],
    ['prototype', '{"name":"w","size":1,"prototype":1}', 'body: Unrecognized key: "prototype"'],
  ])('refuses a body field named %s like any unknown field', async (_key, body, message) => {
    const answer = await rawHttp(
      port,
      `POST /widgets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.arrayContaining([message]) });
  });

  it('answers a plain valid body as before', async () => {
    const body = '{"name":"w","size":1}';
    const answer = await rawHttp(
      port,
      `POST /widgets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(answer.status).toBe(201);
  });
});
