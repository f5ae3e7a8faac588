import { randomUUID } from 'node:crypto';
import { AWAIT_HEADER, CONSISTENCY_HEADER, POSITIONS_HEADER, type Position, parsePositions } from '@app/contracts';
import { requestsWaiting } from '../../tools/testing/awaited-positions';
import { publishEvent } from '../../tools/testing/test-streams';
import { LegacyHarness } from './support/legacy-harness';
import { paymentsDeposit } from './support/payments-events';

const LEGACY = 'legacy-monolith';

/** The positions a response reports, in a stable order. */
function positionsOf(header: unknown): string[] {
  const parsed = parsePositions(header as string | undefined);
  if (!parsed.ok) throw new Error(parsed.reason);
  const text = (p: Position) => `${p.origin}:${p.aggregateType}:${p.aggregateId}:${p.sequence}`;
  return parsed.positions.map(text).sort();
}

/**
 * The sides' half of read-your-writes across the facade, on the monolith: its writes report
 * every position they commit, and a request the facade sends with the positions of a service's
 * write (here: a deposit at payments) waits until the monolith applied them.
 */
describe('the monolith: reads see the writes before them', () => {
  let legacy: LegacyHarness;
  beforeAll(async () => {
    legacy = await LegacyHarness.start();
  });
  afterAll(() => legacy.close());

  it('answers an approved order with the positions of order.placed, each stock.adjusted and wallet.debited', async () => {
    const customer = await legacy.customerWith(10_000);
    const mug = await legacy.createProduct({ priceCents: 300, stock: 5 });
    const tea = await legacy.createProduct({ priceCents: 250, stock: 10 });

    const response = await legacy.placeOrder(customer, [
      { productId: tea.id, quantity: 3 },
      { productId: mug.id, quantity: 2 },
    ]);

    expect([response.status, response.body.status]).toEqual([201, 'APPROVED']);
    // Registration 1 and deposit 2 before: the debit is the customer's 3rd; product.created 1, then the order's take.
    expect(positionsOf(response.headers[POSITIONS_HEADER])).toEqual(
      [
        `${LEGACY}:order:${response.body.id}:1`,
        `${LEGACY}:product:${mug.id}:2`,
        `${LEGACY}:product:${tea.id}:2`,
        `${LEGACY}:customer:${customer.id}:3`,
      ].sort(),
    );
  });

  it('answers an order and a deposit replayed by their Idempotency-Key with the positions of the first answers', async () => {
    const customer = await legacy.customerWith(10_000);
    const mug = await legacy.createProduct({ priceCents: 300, stock: 5 });
    const [orderKey, depositKey] = [`key-${randomUUID()}`, `key-${randomUUID()}`];
    const order = () =>
      legacy.placeOrder(customer, [{ productId: mug.id, quantity: 1 }], { 'Idempotency-Key': orderKey });
    const deposit = () =>
      legacy
        .http()
        .post(`/api/customers/${customer.id}/deposits`)
        .set('authorization', `Bearer ${customer.token}`)
        .set('Idempotency-Key', depositKey)
        .send({ amountCents: 500 });
    const seen = (response: Awaited<ReturnType<typeof deposit>>) => [
      response.status,
      response.text,
      response.headers[POSITIONS_HEADER],
    ];

    const [firstOrder, firstDeposit] = [await order(), await deposit()];
    const [orderReplay, depositReplay] = [await order(), await deposit()];

    expect(positionsOf(firstOrder.headers[POSITIONS_HEADER])).toEqual(
      [
        `${LEGACY}:order:${firstOrder.body.id}:1`,
        `${LEGACY}:product:${mug.id}:2`,
        `${LEGACY}:customer:${customer.id}:3`,
      ].sort(),
    );
    expect(firstDeposit.headers[POSITIONS_HEADER]).toBe(`${LEGACY}:customer:${customer.id}:4`);
    expect(seen(orderReplay)).toEqual(seen(firstOrder));
    expect(seen(depositReplay)).toEqual(seen(firstDeposit));
  });

  it('answers a rejected order 201 with the position of its order.placed alone', async () => {
    const customer = await legacy.customerWith(100);
    const mug = await legacy.createProduct({ priceCents: 300, stock: 5 });

    const response = await legacy.placeOrder(customer, [{ productId: mug.id, quantity: 1 }]);

    expect([response.status, response.body.status]).toEqual([201, 'REJECTED']);
    expect(response.headers[POSITIONS_HEADER]).toBe(`${LEGACY}:order:${response.body.id}:1`);
  });

  it('answers an order refused before anything was stored without positions', async () => {
    const customer = await legacy.customerWith(100);

    const response = await legacy.placeOrder(customer, [{ productId: randomUUID(), quantity: 1 }]);

    expect(response.status).toBe(404);
    expect(response.headers[POSITIONS_HEADER]).toBeUndefined();
  });

  it('holds an order awaiting a deposit made at payments until the monolith applied it, and approves it', async () => {
    const customer = await legacy.customerWith(0);
    const mug = await legacy.createProduct({ priceCents: 300, stock: 5 });
    const pending = Promise.resolve(
      legacy.placeOrder(customer, [{ productId: mug.id, quantity: 2 }], {
        [AWAIT_HEADER]: `payments:customer:${customer.id}:1`,
      }),
    );
    await requestsWaiting(legacy.app);

    await publishEvent(legacy.redisPrefix, 'wallet.credited', paymentsDeposit(customer.id, 1, 1_000, 1_000));
    const response = await pending;

    expect([response.status, response.body.status, response.body.totalCents]).toEqual([201, 'APPROVED', 600]);
    expect(response.headers[CONSISTENCY_HEADER]).toBeUndefined();
    expect(await legacy.balance(customer)).toBe(400);
  });
});
