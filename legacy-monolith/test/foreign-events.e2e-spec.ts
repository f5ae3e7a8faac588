import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { eventually, publishEvent, readDeadLetters, readEvents } from '../../tools/testing/test-streams';
import { LegacyHarness, bearer } from './support/legacy-harness';

type Data = Record<string, unknown>;

let clock = Date.parse('2026-11-22T05:00:00.000Z');
const later = () => new Date((clock += 1_000)).toISOString();

/** An event as payments or inventory would publish it. */
function foreign(origin: string, aggregateId: string, sequence: number, body: Data): Data {
  return { id: randomUUID(), schemaVersion: 1, occurredAt: later(), origin, aggregateId, sequence, ...body };
}

const credited = (customerId: string, sequence: number, amountCents: number, balanceCents: number) =>
  foreign('payments', customerId, sequence, {
    customerId,
    amountCents,
    balanceCents,
    reason: 'deposit',
    orderId: null,
  });

const debited = (
  customerId: string,
  sequence: number,
  amountCents: number,
  balanceCents: number,
  orderId = randomUUID(),
) => foreign('payments', customerId, sequence, { customerId, amountCents, balanceCents, reason: 'order', orderId });

describe.each(['sqlite', 'postgres'] as const)('the monolith applies events of other services (%s)', (database) => {
  let legacy: LegacyHarness;
  beforeAll(async () => {
    legacy = await LegacyHarness.start({ database });
  });
  afterAll(() => legacy.close());

  const balanceBecomes = (customer: Parameters<LegacyHarness['balance']>[0], cents: number) =>
    eventually(
      () => legacy.balance(customer),
      (balance) => balance === cents,
    );

  /** The customer's wallet ledger as stored: amount and balance after each entry, oldest first. */
  const walletEntries = async (customerId: string) => {
    const placeholder = database === 'postgres' ? '$1' : '?';
    const rows = (await legacy.app
      .get(DataSource)
      .query(
        `SELECT amount_cents, balance_after_cents FROM wallet_entries WHERE customer_id = ${placeholder} ORDER BY created_at`,
        [customerId],
      )) as { amount_cents: string | number; balance_after_cents: string | number }[];
    return rows.map((row) => [Number(row.amount_cents), Number(row.balance_after_cents)]);
  };

  it('applies wallet.debited and wallet.credited from payments to the balance it shows', async () => {
    const customer = await legacy.customerWith(5_000);
    await publishEvent(legacy.redisPrefix, 'wallet.debited', debited(customer.id, 1, 1_200, 3_800));
    await balanceBecomes(customer, 3_800);
    await publishEvent(legacy.redisPrefix, 'wallet.credited', credited(customer.id, 2, 200, 4_000));
    await balanceBecomes(customer, 4_000);
    // The monolith's own later change continues from there, and is published as its own.
    expect(await legacy.deposit(customer, 1_000)).toBe(5_000);
  });

  it('ignores its own events coming back', async () => {
    const customer = await legacy.customerWith(1_000);
    const own = (
      await eventually(
        () => readEvents<Data>(legacy.redisPrefix, 'wallet.credited'),
        (events) => events.some((e) => e.data.customerId === customer.id),
      )
    ).find((e) => e.data.customerId === customer.id)!;
    // The same event again (as after a relay crash), and a copy under a new id.
    await publishEvent(legacy.redisPrefix, 'wallet.credited', own.data);
    await publishEvent(legacy.redisPrefix, 'wallet.credited', { ...own.data, id: randomUUID() });
    const marker = await legacy.customerWith(0);
    await publishEvent(legacy.redisPrefix, 'wallet.credited', credited(marker.id, 1, 10, 10));
    await balanceBecomes(marker, 10);
    expect(await legacy.balance(customer)).toBe(1_000);
  });

  it('applies a duplicated entry and a re-published event once', async () => {
    const customer = await legacy.customerWith(0);
    const event = credited(customer.id, 1, 500, 500);
    await publishEvent(legacy.redisPrefix, 'wallet.credited', event);
    await publishEvent(legacy.redisPrefix, 'wallet.credited', event);
    await balanceBecomes(customer, 500);
    await publishEvent(legacy.redisPrefix, 'wallet.credited', credited(customer.id, 2, 1, 501));
    await balanceBecomes(customer, 501);
    expect(await walletEntries(customer.id)).toEqual([
      [500, 500],
      [1, 501],
    ]);
  });

  it("applies one origin's events of an aggregate in their order, whatever order they arrive in", async () => {
    const customer = await legacy.customerWith(0);
    // Debit before the credit it needs: applied first, the balance would go below zero.
    const first = credited(customer.id, 1, 1_000, 1_000);
    const second = debited(customer.id, 2, 600, 400);
    const third = credited(customer.id, 3, 50, 450);
    await publishEvent(legacy.redisPrefix, 'wallet.credited', third);
    await publishEvent(legacy.redisPrefix, 'wallet.debited', second);
    await publishEvent(legacy.redisPrefix, 'wallet.credited', first);
    await balanceBecomes(customer, 450);
    expect(await walletEntries(customer.id)).toEqual([
      [1_000, 1_000],
      [-600, 400],
      [50, 450],
    ]);
    expect(await readDeadLetters(legacy.redisPrefix, 'legacy-monolith')).toEqual([]);
  });

  it('applies products, stock and orders made elsewhere, so it answers with them', async () => {
    const productId = randomUUID();
    const createdAt = later();
    await publishEvent(
      legacy.redisPrefix,
      'product.created',
      foreign('catalog', productId, 1, {
        productId,
        sku: `FOREIGN-${database.toUpperCase()}`,
        name: 'Made elsewhere',
        priceCents: 999,
        stock: 3,
        createdAt,
        updatedAt: createdAt,
      }),
    );
    const adjustedAt = later();
    await publishEvent(
      legacy.redisPrefix,
      'stock.adjusted',
      foreign('inventory', productId, 1, {
        productId,
        delta: 7,
        stock: 10,
        reason: 'adjustment',
        note: 'delivery',
        orderId: null,
        updatedAt: adjustedAt,
      }),
    );
    const product = await eventually(
      () => legacy.http().get(`/api/products/${productId}`),
      (response) => response.status === 200 && (response.body as { stock: number }).stock === 10,
    );
    expect(product.body).toEqual({
      id: productId,
      sku: `FOREIGN-${database.toUpperCase()}`,
      name: 'Made elsewhere',
      priceCents: 999,
      stock: 10,
      createdAt,
      updatedAt: adjustedAt,
    });

    const customer = await legacy.customerWith(0);
    const orderId = randomUUID();
    const placedAt = later();
    await publishEvent(
      legacy.redisPrefix,
      'order.placed',
      foreign('orders', orderId, 1, {
        orderId,
        customerId: customer.id,
        items: [{ productId, quantity: 2, unitPriceCents: 999 }],
        totalCents: 1_998,
        status: 'APPROVED',
        rejectionReason: null,
        createdAt: placedAt,
      }),
    );
    const cancelledAt = later();
    await publishEvent(
      legacy.redisPrefix,
      'order.cancelled',
      foreign('orders', orderId, 2, {
        orderId,
        customerId: customer.id,
        items: [{ productId, quantity: 2, unitPriceCents: 999 }],
        totalCents: 1_998,
        cancelledAt,
      }),
    );
    const order = await eventually(
      () => legacy.http().get(`/api/orders/${orderId}`).set(bearer(customer.token)),
      (response) => response.status === 200 && (response.body as { status: string }).status === 'CANCELLED',
    );
    expect(order.body).toEqual({
      id: orderId,
      customerId: customer.id,
      items: [{ productId, quantity: 2, unitPriceCents: 999 }],
      totalCents: 1_998,
      status: 'CANCELLED',
      rejectionReason: null,
      createdAt: placedAt,
      updatedAt: cancelledAt,
    });
  });

  it("keeps a product's updatedAt at its latest change when changes of two services cross", async () => {
    const product = await legacy.createProduct({ stock: 5 });
    // Both after the product's creation here; the newer one arrives first.
    const newer = new Date(Date.now() + 60_000).toISOString();
    const older = new Date(Date.now() + 30_000).toISOString();
    const adjusted = (origin: string, sequence: number, delta: number, stock: number, updatedAt: string) =>
      foreign(origin, product.id, sequence, {
        productId: product.id,
        delta,
        stock,
        reason: 'adjustment',
        note: 'crossing',
        orderId: null,
        updatedAt,
      });
    await publishEvent(legacy.redisPrefix, 'stock.adjusted', adjusted('inventory', 1, 2, 7, newer));
    await eventually(
      () => legacy.stock(product.id),
      (stock) => stock === 7,
    );
    // Made earlier elsewhere, arriving later: the stock changes, the time of the latest change stays.
    await publishEvent(legacy.redisPrefix, 'stock.adjusted', adjusted('catalog', 1, 1, 8, older));
    const shown = await eventually(
      () => legacy.product(product.id),
      (body) => body.stock === 8,
    );
    expect(shown.updatedAt).toBe(newer);
  });

  it('dead-letters an event that fails its contract, with the reason, and changes nothing', async () => {
    const customer = await legacy.customerWith(300);
    const bad = debited(customer.id, 1, 100, 200);
    delete bad.orderId;
    const id = bad.id as string;
    await publishEvent(legacy.redisPrefix, 'wallet.debited', { ...bad, amountCents: -5 });
    const letters = await eventually(
      () => readDeadLetters(legacy.redisPrefix, 'legacy-monolith'),
      (found) => found.some((letter) => letter.id === id),
    );
    const letter = letters.find((found) => found.id === id)!;
    expect(letter.pattern).toBe('wallet.debited');
    expect(letter.reason.code).toBe('STREAMS_INVALID_MESSAGE');
    expect(letter.reason.message).toContain('amountCents');
    expect(letter.reason.message).toContain('orderId');
    expect(await legacy.balance(customer)).toBe(300);
  });
});
