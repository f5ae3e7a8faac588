import { type StreamEvent, eventually, readEvents } from '../../tools/testing/test-streams';
import { LegacyHarness, bearer } from './support/legacy-harness';

type Data = Record<string, unknown>;

/** The events of a pattern about one entity (`field` = `value`), once `count` of them are on the stream. */
const eventsOf = async (legacy: LegacyHarness, pattern: string, field: string, value: unknown, count: number) => {
  const about = async () =>
    (await readEvents<Data>(legacy.redisPrefix, pattern)).filter((event) => event.data[field] === value);
  return eventually(about, (events) => events.length >= count);
};

const header = (event: StreamEvent<Data>) => ({
  sameId: event.id === event.data.id,
  origin: event.data.origin,
  metaOrigin: event.meta.origin,
  schemaVersion: event.data.schemaVersion,
});

describe.each(['sqlite', 'postgres'] as const)('the monolith publishes every change (%s)', (database) => {
  let legacy: LegacyHarness;
  beforeAll(async () => {
    legacy = await LegacyHarness.start({ database });
  });
  afterAll(() => legacy.close());

  it('publishes customer.registered and wallet.credited, numbered per customer', async () => {
    const customer = await legacy.registerCustomer({ name: 'Ada', email: 'Ada.Events@Example.com' });
    await legacy.deposit(customer, 700);
    await legacy.deposit(customer, 300);

    const registered = await eventsOf(legacy, 'customer.registered', 'customerId', customer.id, 1);
    expect(registered).toHaveLength(1);
    expect(header(registered[0]!)).toEqual({
      sameId: true,
      origin: 'legacy-monolith',
      metaOrigin: 'legacy-monolith',
      schemaVersion: 1,
    });
    expect(registered[0]!.data).toMatchObject({
      aggregateId: customer.id,
      sequence: 1,
      name: 'Ada',
      email: 'ada.events@example.com',
      balanceCents: 0,
    });

    const credited = await eventsOf(legacy, 'wallet.credited', 'customerId', customer.id, 2);
    expect(
      credited.map((e) => [e.data.sequence, e.data.amountCents, e.data.balanceCents, e.data.reason, e.data.orderId]),
    ).toEqual([
      [2, 700, 700, 'deposit', null],
      [3, 300, 1_000, 'deposit', null],
    ]);
  });

  it('publishes product.created and stock.adjusted with the delta, the new stock and the new updatedAt', async () => {
    const product = await legacy.createProduct({
      sku: `EVT-${database.toUpperCase()}-1`,
      name: 'Lamp',
      priceCents: 2_500,
      stock: 4,
    });
    await legacy.adjustStock(product.id, 6, 'delivery 42');
    const shown = await legacy.product(product.id);

    const created = (await eventsOf(legacy, 'product.created', 'productId', product.id, 1))[0];
    expect(created?.data).toMatchObject({
      aggregateId: product.id,
      sequence: 1,
      sku: product.sku,
      name: 'Lamp',
      priceCents: 2_500,
      stock: 4,
      createdAt: shown.createdAt,
    });
    const adjusted = await eventsOf(legacy, 'stock.adjusted', 'productId', product.id, 1);
    expect(adjusted.map((e) => e.data)).toEqual([
      expect.objectContaining({
        sequence: 2,
        delta: 6,
        stock: 10,
        reason: 'adjustment',
        note: 'delivery 42',
        orderId: null,
        updatedAt: shown.updatedAt,
      }),
    ]);
  });

  it('publishes an approved order with its stock and wallet changes, and its cancellation with the refund', async () => {
    const customer = await legacy.customerWith(10_000);
    const product = await legacy.createProduct({ priceCents: 1_500, stock: 5 });
    const order = await legacy.order(customer, [{ productId: product.id, quantity: 2 }]);
    expect(order.status).toBe('APPROVED');
    await legacy.http().post(`/api/orders/${order.id}/cancel`).set(bearer(customer.token)).expect(200);

    const placed = await eventsOf(legacy, 'order.placed', 'orderId', order.id, 1);
    expect(placed.map((e) => e.data)).toEqual([
      expect.objectContaining({
        aggregateId: order.id,
        sequence: 1,
        customerId: customer.id,
        items: [{ productId: product.id, quantity: 2, unitPriceCents: 1_500 }],
        totalCents: 3_000,
        status: 'APPROVED',
        rejectionReason: null,
        createdAt: order.createdAt,
      }),
    ]);
    const cancelled = await eventsOf(legacy, 'order.cancelled', 'orderId', order.id, 1);
    expect(cancelled.map((e) => [e.data.sequence, e.data.totalCents])).toEqual([[2, 3_000]]);

    const stock = await eventsOf(legacy, 'stock.adjusted', 'productId', product.id, 2);
    expect(stock.map((e) => [e.data.sequence, e.data.delta, e.data.stock, e.data.reason, e.data.orderId])).toEqual([
      [2, -2, 3, 'order', order.id],
      [3, 2, 5, 'cancellation', order.id],
    ]);
    const debited = await eventsOf(legacy, 'wallet.debited', 'customerId', customer.id, 1);
    expect(debited.map((e) => [e.data.amountCents, e.data.balanceCents, e.data.orderId])).toEqual([
      [3_000, 7_000, order.id],
    ]);
    const refunded = (await eventsOf(legacy, 'wallet.credited', 'customerId', customer.id, 2)).filter(
      (e) => e.data.reason === 'refund',
    );
    expect(refunded.map((e) => [e.data.amountCents, e.data.balanceCents, e.data.orderId])).toEqual([
      [3_000, 10_000, order.id],
    ]);
  });

  it('publishes a rejected order alone: no stock or wallet event', async () => {
    const customer = await legacy.customerWith(100);
    const product = await legacy.createProduct({ priceCents: 1_500, stock: 5 });
    const order = await legacy.order(customer, [{ productId: product.id, quantity: 1 }]);
    expect(order).toMatchObject({ status: 'REJECTED', rejectionReason: 'INSUFFICIENT_FUNDS' });

    const placed = await eventsOf(legacy, 'order.placed', 'orderId', order.id, 1);
    expect(placed.map((e) => [e.data.status, e.data.rejectionReason])).toEqual([['REJECTED', 'INSUFFICIENT_FUNDS']]);
    // Events of later changes are on the streams once this one is: the relay publishes in order.
    const stock = await readEvents<Data>(legacy.redisPrefix, 'stock.adjusted');
    expect(stock.filter((e) => e.data.productId === product.id)).toEqual([]);
    const debited = await readEvents<Data>(legacy.redisPrefix, 'wallet.debited');
    expect(debited.filter((e) => e.data.customerId === customer.id)).toEqual([]);
  });

  it('publishes nothing for a change that is refused', async () => {
    const product = await legacy.createProduct({ stock: 1 });
    await legacy
      .http()
      .post(`/api/products/${product.id}/stock-adjustments`)
      .set(bearer(await legacy.adminToken()))
      .send({ delta: -5, reason: 'too many' })
      .expect(409);
    await legacy
      .http()
      .post('/api/products')
      .set(bearer(await legacy.adminToken()))
      .send({ sku: product.sku, name: 'Same SKU', priceCents: 1 })
      .expect(409);
    // A later change proves the relay has published everything before it.
    const marker = await legacy.createProduct();
    await eventually(
      () => readEvents<Data>(legacy.redisPrefix, 'product.created'),
      (events) => events.some((e) => e.data.productId === marker.id),
    );
    const created = await readEvents<Data>(legacy.redisPrefix, 'product.created');
    expect(created.filter((e) => e.data.sku === product.sku)).toHaveLength(1);
    const adjusted = await readEvents<Data>(legacy.redisPrefix, 'stock.adjusted');
    expect(adjusted.filter((e) => e.data.productId === product.id)).toEqual([]);
  });
});
