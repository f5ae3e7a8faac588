import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { malformedRequests, rawHttp } from '../../../tools/testing/raw-http';
import { expectError } from './support/api-expectations';
import { PaymentsHarness } from './support/payments-harness';

/** Payments refuses what is not valid HTTP, and prototype keys in bodies, as every process does. */
describe('payments: refusals before a route', () => {
  let payments: PaymentsHarness;
  let port: number;

  beforeAll(async () => {
    payments = await PaymentsHarness.start();
    port = (payments.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => payments.close());

  const deposits = `/api/customers/${randomUUID()}/deposits`;

  it.each(malformedRequests(deposits))('answers %s with the error body', async (_name, text, status, code) => {
    const answer = await rawHttp(port, text);

    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.json).toEqual({ statusCode: status, error: STATUS_CODES[status], code, message: expect.any(String) });
    expect(answer.headers['x-request-id']).toBeDefined();
  });

  it.each([
    ['__proto__', '{"amountCents":100,"__proto__":{"isAdmin":true}}', 'body: Unrecognized key: "__proto__"'],
    [
      'constructor',
      '{"amountCents":100,"constructor":{"prototype":{"isAdmin":true}}}',
      'body: Unrecognized key: "constructor"',
    ],
    ['an unknown field, for comparison', '{"amountCents":100,"isAdmin":true}', 'body: Unrecognized key: "isAdmin"'],
  ])('refuses a deposit body with %s as 400 VALIDATION_FAILED', async (_name, body, message) => {
    const customerId = randomUUID();
    const response = await payments
      .http()
      .post(`/api/customers/${customerId}/deposits`)
      .set('authorization', `Bearer ${payments.token(customerId)}`)
      .set('content-type', 'application/json')
      .send(body);

    expectError(response, 400, 'VALIDATION_FAILED', expect.arrayContaining([message]));
    expect(await payments.wallet(customerId)).toBeNull();
  });
});
