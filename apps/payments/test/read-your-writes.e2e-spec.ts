import { randomUUID } from 'node:crypto';
import { AWAIT_HEADER, CONSISTENCY_HEADER, POSITIONS_HEADER } from '@app/contracts';
import { requestsWaiting } from '../../../tools/testing/awaited-positions';
import { eventually } from '../../../tools/testing/test-streams';
import { LegacyCustomer } from './support/legacy-events';
import { PaymentsHarness } from './support/payments-harness';

/**
 * The sides' half of read-your-writes across the facade, on payments: its deposits report the
 * position of the `wallet.credited` they commit, and a request the facade sends with the positions
 * of the monolith's writes waits until payments has applied them (the facade's half: `strangler/`).
 */
describe('payments: reads see the writes before them', () => {
  let payments: PaymentsHarness;
  beforeAll(async () => {
    payments = await PaymentsHarness.start();
  });
  afterAll(() => payments.close());

  /** Resolves once a request waits for positions payments has not applied yet. */

  async function registered(): Promise<LegacyCustomer> {
    const customer = new LegacyCustomer();
    await payments.publish(customer.registered());
    await eventually(
      () => payments.wallet(customer.id),
      (wallet) => wallet !== null,
    );
    return customer;
  }

  it("answers a deposit with the position of payments' wallet.credited", async () => {
    const customer = await registered();

    const first = await payments.deposit(customer.id, { amountCents: 500 });
    const second = await payments.deposit(customer.id, { amountCents: 20 });

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.headers[POSITIONS_HEADER]).toBe(`payments:customer:${customer.id}:1`);
    expect(second.headers[POSITIONS_HEADER]).toBe(`payments:customer:${customer.id}:2`);
    const published = await payments.publishedEvents('wallet.credited', customer.id);
    expect(published.map((event) => event.data.sequence)).toEqual([1, 2]);
  });

  it('answers a deposit replayed by its Idempotency-Key with the position the first answer carried', async () => {
    const customer = await registered();
    const key = `key-${randomUUID()}`;

    const first = await payments.deposit(customer.id, { amountCents: 700 }, undefined, key);
    await payments.deposit(customer.id, { amountCents: 20 }).expect(201);
    const replay = await payments.deposit(customer.id, { amountCents: 700 }, undefined, key);

    // What the facade keeps of a retry whose first answer it never saw (a timeout): the first's position.
    const seen = (response: typeof first) => [response.status, response.text, response.headers[POSITIONS_HEADER]];
    expect(first.status).toBe(201);
    expect(first.headers[POSITIONS_HEADER]).toBe(`payments:customer:${customer.id}:1`);
    expect(seen(replay)).toEqual(seen(first));
  });

  it('holds a deposit awaiting the registration at the monolith until payments applied it, instead of a 404', async () => {
    const customer = new LegacyCustomer();
    const registration = customer.registered();
    const pending = Promise.resolve(
      payments
        .deposit(customer.id, { amountCents: 700 })
        .set(AWAIT_HEADER, `legacy-monolith:customer:${customer.id}:1`),
    );
    await requestsWaiting(payments.app);

    await payments.publish(registration);
    const response = await pending;

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ customerId: customer.id, amountCents: 700, balanceCents: 700 });
    expect(response.headers[CONSISTENCY_HEADER]).toBeUndefined();
    expect(response.headers[POSITIONS_HEADER]).toBe(`payments:customer:${customer.id}:1`);
  });

  it("answers a deposit awaiting the monolith's deposit with the balance after both", async () => {
    const customer = await registered();
    const atTheMonolith = customer.deposited(1_000);
    const pending = Promise.resolve(
      payments
        .deposit(customer.id, { amountCents: 50 })
        .set(AWAIT_HEADER, `legacy-monolith:customer:${customer.id}:${customer.sequence}`),
    );
    await requestsWaiting(payments.app);

    await payments.publish(atTheMonolith);
    const response = await pending;

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ customerId: customer.id, amountCents: 50, balanceCents: 1_050 });
    expect(response.headers[CONSISTENCY_HEADER]).toBeUndefined();
  });

  it('refuses a malformed x-ficus-await with 400 CONSISTENCY_POSITIONS_INVALID, depositing nothing', async () => {
    const customer = await registered();

    const response = await payments.deposit(customer.id, { amountCents: 50 }).set(AWAIT_HEADER, 'legacy-monolith');

    expect({ status: response.status, code: response.body.code }).toEqual({
      status: 400,
      code: 'CONSISTENCY_POSITIONS_INVALID',
    });
    expect((await payments.wallet(customer.id))?.balanceCents).toBe(0);
  });
});
