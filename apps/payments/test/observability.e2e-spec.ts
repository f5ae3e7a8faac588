import { randomUUID } from 'node:crypto';
import { ChargeWallet } from '@app/contracts';
import { InboundEvents } from '@app/integration-events';
import { eventually } from '../../../tools/testing/test-streams';
import { LegacyCustomer } from './support/legacy-events';
import { PaymentsHarness } from './support/payments-harness';

describe('payments: health, metrics and the OpenAPI document', () => {
  let payments: PaymentsHarness;
  beforeAll(async () => {
    payments = await PaymentsHarness.start();
  });
  afterAll(() => payments.close());

  it('is live, and ready with its database, outbox and event consumer', async () => {
    expect((await payments.http().get('/health/live')).status).toBe(200);

    const ready = await payments.http().get('/health/ready');

    expect(ready.status).toBe(200);
    expect(ready.body.details).toMatchObject({
      database: { status: 'up' },
      outbox: { status: 'up' },
      events: { status: 'up' },
    });
  });

  it('reads the customer streams: the events it consumes and the other customer events of their sequence', () => {
    expect([...payments.app.get(InboundEvents).patterns].sort()).toEqual([
      'customer.registered',
      'customer.snapshot',
      'wallet.credited',
      'wallet.debited',
    ]);
  });

  it('counts requests, commands and inbox outcomes in /metrics, labelled service="payments"', async () => {
    const customer = new LegacyCustomer();
    await payments.publish(customer.registered());
    await eventually(
      () => payments.wallet(customer.id),
      (wallet) => wallet !== null,
    );
    await payments.deposit(customer.id, { amountCents: 500 }).expect(201);
    await payments.command(ChargeWallet.pattern, { orderId: randomUUID(), customerId: customer.id, amountCents: 100 });

    const http = await payments.metric('http_requests_total', {
      service: 'payments',
      method: 'POST',
      route: '/api/customers/:id/deposits',
      status_class: '2xx',
    });
    const commands = await payments.metric('streams_messages_acknowledged_total', {
      pattern: 'payments.charge-wallet',
      kind: 'request',
    });
    const applied = await payments.metric('inbox_messages_total', { consumer: 'payments', outcome: 'applied' });
    expect({ http, commands, applied }).toEqual({ http: 1, commands: 1, applied: 1 });
  });

  it('publishes its one public route at /api-docs-json, documented as the monolith documents it', async () => {
    const response = await payments.http().get('/api-docs-json');

    expect(response.status).toBe(200);
    expect(response.body.info).toMatchObject({ title: 'Ficus payments', version: expect.any(String) });
    const paths = response.body.paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(paths)).toEqual(['/api/customers/{id}/deposits']);
    const deposit = paths['/api/customers/{id}/deposits']!.post!;
    expect(Object.keys(deposit.responses as object).sort()).toEqual(['201', '400', '401', '403', '404', '413', '422']);
    expect(deposit.security).toEqual([{ bearer: [] }]);
    expect(JSON.stringify(deposit.parameters)).toContain('Idempotency-Key');
    expect(Object.keys(response.body.components.schemas)).toEqual(
      expect.arrayContaining(['Deposit', 'DepositRequest']),
    );
  });

  it("answers an unknown route 404 ROUTE_NOT_FOUND, and keeps the caller's X-Request-Id", async () => {
    const id = randomUUID();

    const response = await payments.http().get(`/api/customers/${randomUUID()}`).set('x-request-id', id);

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('ROUTE_NOT_FOUND');
    expect(response.headers['x-request-id']).toBe(id);
  });
});
