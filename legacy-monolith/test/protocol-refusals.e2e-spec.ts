import { STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { malformedRequests, rawHttp } from '../../tools/testing/raw-http';
import { LegacyHarness } from './support/legacy-harness';

/** The monolith refuses what is not valid HTTP, and prototype keys in bodies, with the error body. */
describe('legacy monolith: refusals before a route', () => {
  let legacy: LegacyHarness;
  let port: number;

  beforeAll(async () => {
    legacy = await LegacyHarness.start();
    port = (legacy.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => legacy.close());

  it.each(malformedRequests('/api/customers'))('answers %s with the error body', async (_name, text, status, code) => {
    const answer = await rawHttp(port, text);

    expect(answer.status).toBe(status);
    expect(answer.json).toEqual({ statusCode: status, error: STATUS_CODES[status], code, message: expect.any(String) });
    expect(answer.headers['x-request-id']).toBeDefined();
  });

  it.each([
    ['__proto__', '"__proto__":{"role":"admin"}'],
    ['constructor', '"constructor":{"prototype":{"role":"admin"}}'],
  ])('refuses a registration with a %s field, and registers nobody', async (key, extra) => {
    const email = `proto-${key}-${Date.now()}@example.com`;
    const fields = JSON.stringify({ name: 'Proto', email, password: 'correct horse battery' });
    // Written as text: a `__proto__` key in an object literal would set its prototype instead.
    const body = `${fields.slice(0, -1)},${extra}}`;

    const response = await legacy.http().post('/api/customers').set('content-type', 'application/json').send(body);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.arrayContaining([`body: Unrecognized key: "${key}"`]),
    });
    const login = await legacy.http().post('/api/auth/token').send({ email, password: 'correct horse battery' });
    expect(login.status).toBe(401);
  });
});
