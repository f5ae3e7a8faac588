import { randomUUID } from 'node:crypto';
import { SAGA_RUNNER, type SagaRunner } from '@app/sagas';
import { eventually } from '../../../tools/testing/test-streams';
import { OrdersStack } from './support/orders-stack';

/**
 * When the saga outlasts `ORDERS_SAGA_WAIT_MS`, the public API's contract: `201` with `PENDING`,
 * and a later read shows the final status. Inventory frozen (`SIGSTOP`) holds the reservation;
 * its command times out after 5 s and is sent again, with the same command id, once it answers.
 */
describe('an order whose saga outlasts the wait (sqlite)', () => {
  let stack: OrdersStack;

  beforeAll(async () => {
    stack = await OrdersStack.start('sqlite', { ORDERS_SAGA_WAIT_MS: '300' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('answers 201 PENDING past the wait, retries the step that timed out, and a later read shows APPROVED', async () => {
    const product = await stack.product(400, 5);
    const customer = await stack.customer(1_000);
    const after = [...product.positions, ...customer.positions];
    const key = `pending-${randomUUID()}`;
    stack.pause('inventory');
    let resumed = false;
    try {
      const placed = await stack.place(customer.token, [{ productId: product.id, quantity: 1 }], after, key);
      expect(placed.status).toBe(201);
      expect(placed.body).toMatchObject({ status: 'PENDING', rejectionReason: null, totalCents: 400 });
      const read = await stack
        .http('orders')
        .get(`/api/orders/${placed.body.id}`)
        .set('authorization', `Bearer ${customer.token}`);
      expect(read.body).toEqual(placed.body);

      // The reservation's command is not answered within its 5 s: the saga records the timeout and tries again.
      const runner = stack.orders.get<SagaRunner>(SAGA_RUNNER);
      const waiting = await eventually(
        async () => (await runner.find(placed.body.id))?.history.map((line) => line.note) ?? [],
        (notes) => notes.some((note) => note.startsWith('reserve-stock: STREAMS_REQUEST_TIMEOUT')),
        20_000,
      );
      expect(waiting.at(-1)).toMatch(/try 2 of 30$/);
      stack.resume('inventory');
      resumed = true;

      const settled = await eventually(
        async () =>
          (
            await stack
              .http('orders')
              .get(`/api/orders/${placed.body.id}`)
              .set('authorization', `Bearer ${customer.token}`)
          ).body as { status: string },
        (order) => order.status !== 'PENDING',
        30_000,
      );
      expect(settled).toMatchObject({ id: placed.body.id, status: 'APPROVED', totalCents: 400 });
      // A repeat with the key answers the settled order (its saga has ended).
      const repeat = await stack.place(customer.token, [{ productId: product.id, quantity: 1 }], after, key);
      expect(repeat.body).toEqual(settled);
      // Reserved once, though asked twice: one movement at inventory, and the stock went from 5 to 4.
      const movements = await stack
        .database('inventory')
        .query(`SELECT delta FROM stock_movements WHERE order_id = '${placed.body.id}'`);
      expect(movements.map((row) => Number(row.delta))).toEqual([-1]);
      const stock = await eventually(
        async () => ((await stack.http('legacy').get(`/api/products/${product.id}`)).body as { stock: number }).stock,
        (value) => value === 4,
        20_000,
      );
      expect(stock).toBe(4);
    } finally {
      if (!resumed) stack.resume('inventory');
    }
  });
});
