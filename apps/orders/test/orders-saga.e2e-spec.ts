import { randomUUID } from 'node:crypto';
import { AWAIT_HEADER } from '@app/contracts';
import { SAGA_RUNNER, type SagaRunner } from '@app/sagas';
import { OrdersStack, positionsOf } from './support/orders-stack';

describe.each(['sqlite', 'postgres'] as const)('orders as a saga over inventory and payments (%s)', (kind) => {
  let stack: OrdersStack;

  beforeAll(async () => {
    stack = await OrdersStack.start(kind);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const runner = () => stack.orders.get<SagaRunner>(SAGA_RUNNER);

  it('approves: the stock is taken and the wallet charged, and the monolith shows the order, the stock and the balance', async () => {
    const product = await stack.product(250, 5);
    const customer = await stack.customer(1_000);
    const placed = await stack.place(
      customer.token,
      [{ productId: product.id, quantity: 2 }],
      [...product.positions, ...customer.positions],
    );
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      customerId: customer.id,
      items: [{ productId: product.id, quantity: 2, unitPriceCents: 250 }],
      totalCents: 500,
      status: 'APPROVED',
      rejectionReason: null,
    });

    const read = await stack
      .http('orders')
      .get(`/api/orders/${placed.body.id}`)
      .set('authorization', `Bearer ${customer.token}`);
    expect(read.body).toEqual(placed.body);
    const atLegacy = await stack
      .http('legacy')
      .get(`/api/orders/${placed.body.id}`)
      .set('authorization', `Bearer ${customer.token}`)
      .set(AWAIT_HEADER, positionsOf(placed).join(','));
    expect(atLegacy.status).toBe(200);
    expect(atLegacy.body).toEqual(placed.body);

    // The answer names every write the saga made, in orders, inventory and payments...
    const positions = positionsOf(placed).join(',').split(',');
    expect(positions).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^orders:order:${placed.body.id}:1$`)),
        expect.stringMatching(new RegExp(`^inventory:product:${product.id}:\\d+$`)),
        expect.stringMatching(new RegExp(`^payments:customer:${customer.id}:\\d+$`)),
      ]),
    );
    // ...so a read that awaits them, on the monolith, shows the stock and the balance at once.
    const stock = await stack
      .http('legacy')
      .get(`/api/products/${product.id}`)
      .set(AWAIT_HEADER, positionsOf(placed).join(','));
    expect(stock.body.stock).toBe(3);
    const balance = await stack
      .http('legacy')
      .get(`/api/customers/${customer.id}`)
      .set('authorization', `Bearer ${customer.token}`)
      .set(AWAIT_HEADER, positionsOf(placed).join(','));
    expect(balance.body.balanceCents).toBe(500);
  });

  it('rejects for OUT_OF_STOCK before INSUFFICIENT_FUNDS, changing nothing', async () => {
    const product = await stack.product(1_000, 1);
    const customer = await stack.customer(0);
    const placed = await stack.place(
      customer.token,
      [{ productId: product.id, quantity: 2 }],
      [...product.positions, ...customer.positions],
    );
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'REJECTED', rejectionReason: 'OUT_OF_STOCK', totalCents: 2_000 });
    const saga = await runner().find(placed.body.id);
    expect(saga).toMatchObject({ status: 'FAILED', failure: { step: 'reserve-stock', reason: 'OUT_OF_STOCK' } });
  });

  it('rejects for INSUFFICIENT_FUNDS after the reservation, and puts the stock back', async () => {
    const product = await stack.product(300, 4);
    const customer = await stack.customer(299);
    const placed = await stack.place(
      customer.token,
      [{ productId: product.id, quantity: 1 }],
      [...product.positions, ...customer.positions],
    );
    expect(placed.body).toMatchObject({ status: 'REJECTED', rejectionReason: 'INSUFFICIENT_FUNDS', totalCents: 300 });
    const saga = await runner().find(placed.body.id);
    expect(saga?.history.map((line) => line.note)).toEqual([
      'start: reserve-stock',
      'reserve-stock: done; next charge-wallet',
      'charge-wallet: refused (INSUFFICIENT_FUNDS); compensate reserve-stock',
      'reserve-stock: compensated; failed',
    ]);
    // Taken and put back: the monolith ends where it began, the balance untouched.
    expect((await stack.productAt('legacy', product.id, (p) => p.stock === 4)).stock).toBe(4);
    expect(await stack.balanceAtLegacy(customer.id, customer.token, (b) => b === 299)).toBe(299);
  });

  it('cancels an approved order: stock back, total refunded, a second cancellation refused', async () => {
    const product = await stack.product(120, 10);
    const customer = await stack.customer(1_000);
    const placed = await stack.place(
      customer.token,
      [{ productId: product.id, quantity: 3 }],
      [...product.positions, ...customer.positions],
    );
    expect(placed.body.status).toBe('APPROVED');
    const cancelled = await stack
      .http('orders')
      .post(`/api/orders/${placed.body.id}/cancel`)
      .set('authorization', `Bearer ${customer.token}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: placed.body.id, status: 'CANCELLED', totalCents: 360 });
    const again = await stack
      .http('orders')
      .post(`/api/orders/${placed.body.id}/cancel`)
      .set('authorization', `Bearer ${customer.token}`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ORDER_NOT_CANCELLABLE');
    expect((await stack.productAt('legacy', product.id, (p) => p.stock === 10)).stock).toBe(10);
    expect(await stack.balanceAtLegacy(customer.id, customer.token, (b) => b === 1_000)).toBe(1_000);
    const atLegacy = await stack
      .http('legacy')
      .get(`/api/orders/${placed.body.id}`)
      .set('authorization', `Bearer ${customer.token}`)
      .set(AWAIT_HEADER, positionsOf(cancelled).join(','));
    expect(atLegacy.body).toMatchObject({ status: 'CANCELLED' });
  });

  it('answers a repeat with the same Idempotency-Key as the first time, placing nothing more', async () => {
    const product = await stack.product(100, 10);
    const customer = await stack.customer(1_000);
    const after = [...product.positions, ...customer.positions];
    const key = `key-${randomUUID()}`;
    const first = await stack.place(customer.token, [{ productId: product.id, quantity: 1 }], after, key);
    const repeat = await stack.place(customer.token, [{ productId: product.id, quantity: 1 }], after, key);
    expect(first.status).toBe(201);
    expect(repeat.status).toBe(201);
    expect(repeat.body).toEqual(first.body);
    const other = await stack.place(customer.token, [{ productId: product.id, quantity: 2 }], after, key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const list = await stack.http('orders').get('/api/orders').set('authorization', `Bearer ${customer.token}`);
    expect(list.body).toMatchObject({ total: 1, items: [first.body] });

    // Cancelled since: the repeat still answers the order as first answered, as the monolith does.
    await stack
      .http('orders')
      .post(`/api/orders/${first.body.id}/cancel`)
      .set('authorization', `Bearer ${customer.token}`)
      .expect(200);
    const later = await stack.place(customer.token, [{ productId: product.id, quantity: 1 }], after, key);
    expect(later.body).toEqual(first.body);
  });

  it('checks as the monolith does: an unknown product 404 (nothing stored), an admin 403, a customer it does not know 401', async () => {
    const product = await stack.product(100, 10);
    const customer = await stack.customer(0);
    const after = [...product.positions, ...customer.positions];
    const missing = randomUUID();
    const unknown = await stack.place(
      customer.token,
      [
        { productId: product.id, quantity: 1 },
        { productId: missing, quantity: 1 },
      ],
      after,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'PRODUCT_NOT_FOUND', message: `No product has the id ${missing}.` });
    const admin = await stack.place(
      stack.token(stack.adminId, 'admin'),
      [{ productId: product.id, quantity: 1 }],
      after,
    );
    expect(admin.status).toBe(403);
    const stranger = await stack.place(stack.token(randomUUID()), [{ productId: product.id, quantity: 1 }], after);
    expect(stranger.status).toBe(401);
    expect(stranger.body.code).toBe('UNAUTHENTICATED');
    const list = await stack.http('orders').get('/api/orders').set('authorization', `Bearer ${customer.token}`);
    expect(list.body).toMatchObject({ total: 0, items: [] });
  });

  it('is ready with its sagas, its database, its outbox and its events in the readiness check', async () => {
    const ready = await stack.http('orders').get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({ sagas: { status: 'up', stuck: [] } });
  });

  it('gives the last item to one of two concurrent orders, and the other is OUT_OF_STOCK', async () => {
    const product = await stack.product(100, 1);
    const [a, b] = await Promise.all([stack.customer(1_000), stack.customer(1_000)]);
    const after = [...product.positions, ...a.positions, ...b.positions];
    const answers = await Promise.all(
      [a, b].map((customer) => stack.place(customer.token, [{ productId: product.id, quantity: 1 }], after)),
    );
    const outcomes = answers.map((answer) => `${answer.body.status}:${answer.body.rejectionReason}`).sort();
    expect(outcomes).toEqual(['APPROVED:null', 'REJECTED:OUT_OF_STOCK']);
    expect((await stack.productAt('legacy', product.id, (p) => p.stock === 0)).stock).toBe(0);
  });

  it('charges the last cents to one of two concurrent orders, and the other is INSUFFICIENT_FUNDS with its stock back', async () => {
    const product = await stack.product(300, 10);
    const customer = await stack.customer(500);
    const after = [...product.positions, ...customer.positions];
    const answers = await Promise.all(
      [1, 2].map(() => stack.place(customer.token, [{ productId: product.id, quantity: 1 }], after)),
    );
    const outcomes = answers.map((answer) => `${answer.body.status}:${answer.body.rejectionReason}`).sort();
    expect(outcomes).toEqual(['APPROVED:null', 'REJECTED:INSUFFICIENT_FUNDS']);
    const placed = answers.flatMap((answer) => positionsOf(answer)).join(',');
    const balance = await stack
      .http('legacy')
      .get(`/api/customers/${customer.id}`)
      .set('authorization', `Bearer ${customer.token}`)
      .set(AWAIT_HEADER, placed);
    expect(balance.body.balanceCents).toBe(200);
    const stock = await stack.http('legacy').get(`/api/products/${product.id}`).set(AWAIT_HEADER, placed);
    expect(stock.body.stock).toBe(9);
  });
});
