import { randomUUID } from 'node:crypto';
import { ReleaseStock, ReserveStock } from '@app/contracts';
import { eventually } from '../../../tools/testing/test-streams';
import { InventoryHarness, type Item } from './support/inventory-harness';

/**
 * Orders placed or cancelled by the monolith, then cancelled through the order service (or
 * the other way round): inventory records the reservation of a monolith order from its
 * `stock.adjusted` (`order`), so `inventory.release-stock` gives its stock back, and marks
 * it `CANCELLED` on the monolith's `stock.adjusted` (`cancellation`), so a release gives
 * nothing back twice.
 */
describe.each(['sqlite', 'postgres'] as const)('orders placed and cancelled by the monolith (%s)', (database) => {
  let inventory: InventoryHarness;
  /** The stock each product has at the monolith, which its events carry. */
  const monolithStock = new Map<string, number>();
  beforeAll(async () => {
    inventory = await InventoryHarness.start({ database });
  });
  afterAll(() => inventory.close());

  /** A product created at the monolith with `stock`, once inventory has it. */
  async function product(stock: number): Promise<string> {
    const productId = await inventory.product(stock);
    monolithStock.set(productId, stock);
    return productId;
  }

  /** The monolith's `stock.adjusted` of one product of an order (`order`, −quantity) or of its cancellation (+quantity). */
  async function monolithMoves(orderId: string, items: readonly Item[], sign: -1 | 1): Promise<void> {
    for (const { productId, quantity } of items) {
      const stock = (monolithStock.get(productId) ?? 0) + sign * quantity;
      monolithStock.set(productId, stock);
      await inventory.legacy.adjusted(productId, sign * quantity, stock, orderId);
    }
  }
  const monolithPlaces = (orderId: string, items: readonly Item[]) => monolithMoves(orderId, items, -1);
  const monolithCancels = (orderId: string, items: readonly Item[]) => monolithMoves(orderId, items, 1);

  /** Waits until inventory has applied the order's events: its reservation has these lines, these stocks. */
  async function applied(orderId: string, lines: number, stocks: Record<string, number>): Promise<void> {
    await eventually(
      () => inventory.reservationLines(orderId),
      (found) => found.length === lines,
    );
    for (const [productId, stock] of Object.entries(stocks)) await inventory.stockBecomes(productId, stock);
  }

  /** Once this marker event is on the stream, every event recorded before it is there too (the relay keeps order). */
  async function flushed(): Promise<void> {
    const marker = await inventory.product(1);
    await inventory.adjust(marker, { delta: 1, reason: 'marker' }).expect(201);
    await inventory.publishedCount(marker, 1);
  }

  async function release(orderId: string) {
    const reply = await inventory.release(orderId);
    expect(ReleaseStock.replySchema.safeParse(reply).success).toBe(true);
    return reply;
  }

  type LedgerRow = [string, string, number, number];
  /** Ledger rows in a fixed order (by product, then kind), whatever their times. */
  const sorted = (rows: LedgerRow[]) => [...rows].sort((x, y) => x[0].localeCompare(y[0]) || x[1].localeCompare(y[1]));
  /** The order's ledger entries, `[productId, kind, delta, stock after]`, sorted. */
  const ledger = async (orderId: string) =>
    sorted(
      (await inventory.orderMovements(orderId)).map(({ productId, kind, delta, stockAfter }): LedgerRow => [
        productId,
        kind,
        delta,
        stockAfter,
      ]),
    );

  it("records a monolith order's reservation; a release puts its stock back and publishes it, a repeat changes nothing", async () => {
    const a = await product(10);
    const orderId = randomUUID();

    await monolithPlaces(orderId, [{ productId: a, quantity: 3 }]);
    await applied(orderId, 1, { [a]: 7 });

    const reservation = await inventory.reservation(orderId);
    expect(reservation?.status).toBe('RESERVED');
    expect(JSON.parse(reservation?.reply ?? 'null')).toEqual({
      status: 'RESERVED',
      items: [{ productId: a, quantity: 3, stock: 7 }],
    });
    expect(await inventory.reservationLines(orderId)).toEqual([[a, 3]]);

    expect(await release(orderId)).toEqual({ status: 'RELEASED' });

    expect(await inventory.stock(a)).toBe(10);
    expect((await inventory.reservation(orderId))?.status).toBe('RELEASED');
    const [published] = await inventory.publishedCount(a, 1);
    expect(published).toMatchObject({
      origin: 'inventory',
      productId: a,
      delta: 3,
      stock: 10,
      reason: 'cancellation',
      note: `cancellation of order ${orderId}`,
      orderId,
    });

    expect(await release(orderId)).toEqual({ status: 'RELEASED' });
    await flushed();
    expect(await inventory.stock(a)).toBe(10);
    expect(await inventory.published(a)).toHaveLength(1);
    expect(await ledger(orderId)).toEqual([
      [a, 'cancellation', 3, 10],
      [a, 'order', -3, 7],
    ]);
  });

  it('records both lines of a two-product order on one reservation, and a release puts both back', async () => {
    const a = await product(5);
    const b = await product(8);
    const orderId = randomUUID();
    const items = [
      { productId: a, quantity: 2 },
      { productId: b, quantity: 8 },
    ];

    await monolithPlaces(orderId, items);
    await applied(orderId, 2, { [a]: 3, [b]: 0 });
    expect(await inventory.reservationLines(orderId)).toEqual(
      [...items].sort((x, y) => x.productId.localeCompare(y.productId)).map((item) => [item.productId, item.quantity]),
    );
    // A reservation through the saga for the same order and items answers as if it had taken them, and takes nothing.
    const reserved = await inventory.reserve(orderId, [...items].reverse());
    expect(ReserveStock.replySchema.safeParse(reserved).success).toBe(true);
    expect(reserved).toEqual({
      status: 'RESERVED',
      items: expect.arrayContaining([
        { productId: a, quantity: 2, stock: 3 },
        { productId: b, quantity: 8, stock: 0 },
      ]),
    });

    expect(await release(orderId)).toEqual({ status: 'RELEASED' });

    expect([await inventory.stock(a), await inventory.stock(b)]).toEqual([5, 8]);
    expect((await inventory.publishedCount(a, 1))[0]).toMatchObject({ delta: 2, stock: 5, reason: 'cancellation' });
    expect((await inventory.publishedCount(b, 1))[0]).toMatchObject({ delta: 8, stock: 8, reason: 'cancellation' });
    expect(await release(orderId)).toEqual({ status: 'RELEASED' });
    await flushed();
    expect([await inventory.stock(a), await inventory.stock(b)]).toEqual([5, 8]);
    expect(await inventory.published(a)).toHaveLength(1);
    expect(await inventory.published(b)).toHaveLength(1);
  });

  it('records every line of a larger order whose events are applied concurrently, on one reservation', async () => {
    const products = await Promise.all(Array.from({ length: 12 }, () => product(20)));
    const orderId = randomUUID();
    const items = products.map((productId, index) => ({ productId, quantity: 1 + (index % 5) }));

    await monolithPlaces(orderId, items);
    await applied(orderId, items.length, Object.fromEntries(items.map((item) => [item.productId, 20 - item.quantity])));
    const reply = JSON.parse((await inventory.reservation(orderId))?.reply ?? 'null') as { items: unknown[] };
    expect(reply.items).toHaveLength(items.length);

    expect(await release(orderId)).toEqual({ status: 'RELEASED' });
    for (const productId of products) expect(await inventory.stock(productId)).toBe(20);
  });

  it('marks a monolith order the monolith cancelled CANCELLED: a release answers RELEASED and gives nothing back twice', async () => {
    const a = await product(6);
    const b = await product(4);
    const orderId = randomUUID();
    const items = [
      { productId: a, quantity: 1 },
      { productId: b, quantity: 4 },
    ];
    await monolithPlaces(orderId, items);
    await applied(orderId, 2, { [a]: 5, [b]: 0 });

    await monolithCancels(orderId, items);
    await inventory.stockBecomes(a, 6);
    await inventory.stockBecomes(b, 4);
    await eventually(
      () => inventory.reservation(orderId),
      (reservation) => reservation?.status === 'CANCELLED',
    );

    expect(await release(orderId)).toEqual({ status: 'RELEASED' });
    expect(await release(orderId)).toEqual({ status: 'RELEASED' });

    await flushed();
    expect([await inventory.stock(a), await inventory.stock(b)]).toEqual([6, 4]);
    expect(await inventory.published(a)).toEqual([]);
    expect(await inventory.published(b)).toEqual([]);
    expect((await inventory.reservation(orderId))?.status).toBe('CANCELLED');
    expect(await inventory.orderMovements(orderId)).toHaveLength(4);
  });

  it('marks an order reserved here and cancelled at the monolith CANCELLED: a release gives nothing back twice', async () => {
    const a = await product(10);
    const orderId = randomUUID();
    const reserved = await inventory.reserve(orderId, [{ productId: a, quantity: 4 }]);
    expect(reserved).toEqual({ status: 'RESERVED', items: [{ productId: a, quantity: 4, stock: 6 }] });
    // The monolith applied inventory's order event; it cancels the order and puts the stock back itself.
    monolithStock.set(a, 6);

    await monolithCancels(orderId, [{ productId: a, quantity: 4 }]);
    await inventory.stockBecomes(a, 10);
    await eventually(
      () => inventory.reservation(orderId),
      (reservation) => reservation?.status === 'CANCELLED',
    );

    expect(await release(orderId)).toEqual({ status: 'RELEASED' });
    expect(await release(orderId)).toEqual({ status: 'RELEASED' });
    // A repeat of the reservation still answers its first reply and takes nothing.
    expect(await inventory.reserve(orderId, [{ productId: a, quantity: 4 }])).toEqual(reserved);

    await flushed();
    expect(await inventory.stock(a)).toBe(10);
    expect(await inventory.published(a)).toHaveLength(1);
    expect(await ledger(orderId)).toEqual([
      [a, 'cancellation', 4, 10],
      [a, 'order', -4, 6],
    ]);
  });

  it("records a line arriving after the monolith's cancellation of another product as released: the monolith puts it back", async () => {
    const a = await product(3);
    const b = await product(3);
    const orderId = randomUUID();
    // The inbox keeps each product's events in order, not the order of events of different products.
    await monolithPlaces(orderId, [{ productId: a, quantity: 1 }]);
    await monolithCancels(orderId, [{ productId: a, quantity: 1 }]);
    await eventually(
      () => inventory.reservation(orderId),
      (reservation) => reservation?.status === 'CANCELLED',
    );

    await monolithPlaces(orderId, [{ productId: b, quantity: 2 }]);
    await applied(orderId, 2, { [a]: 3, [b]: 1 });
    expect((await inventory.reservation(orderId))?.status).toBe('CANCELLED');
    await monolithCancels(orderId, [{ productId: b, quantity: 2 }]);
    await inventory.stockBecomes(b, 3);

    expect(await release(orderId)).toEqual({ status: 'RELEASED' });
    await flushed();
    expect([await inventory.stock(a), await inventory.stock(b)]).toEqual([3, 3]);
    expect(await inventory.published(a)).toEqual([]);
    expect(await inventory.published(b)).toEqual([]);
  });

  it('puts back at once the line of an order released here before that line arrived', async () => {
    const a = await product(5);
    const b = await product(5);
    const orderId = randomUUID();
    await monolithPlaces(orderId, [{ productId: a, quantity: 2 }]);
    await applied(orderId, 1, { [a]: 3 });
    expect(await release(orderId)).toEqual({ status: 'RELEASED' });
    expect(await inventory.stock(a)).toBe(5);

    await monolithPlaces(orderId, [{ productId: b, quantity: 4 }]);

    await applied(orderId, 2, { [b]: 5 });
    const [published] = await inventory.publishedCount(b, 1);
    expect(published).toMatchObject({ origin: 'inventory', delta: 4, stock: 5, reason: 'cancellation', orderId });
    expect(await ledger(orderId)).toEqual(
      sorted([
        [a, 'cancellation', 2, 5],
        [a, 'order', -2, 3],
        [b, 'cancellation', 4, 5],
        [b, 'order', -4, 1],
      ]),
    );
    expect((await inventory.reservation(orderId))?.status).toBe('RELEASED');
    expect(await release(orderId)).toEqual({ status: 'RELEASED' });
    await flushed();
    expect([await inventory.stock(a), await inventory.stock(b)]).toEqual([5, 5]);
    expect(await inventory.published(b)).toHaveLength(1);
  });

  it('puts back at once a monolith order line arriving after its order was closed here (released before anything arrived)', async () => {
    const a = await product(4);
    const orderId = randomUUID();
    expect(await release(orderId)).toEqual({ status: 'NOTHING_TO_RELEASE' });

    await monolithPlaces(orderId, [{ productId: a, quantity: 3 }]);

    await applied(orderId, 1, { [a]: 4 });
    expect((await inventory.publishedCount(a, 1))[0]).toMatchObject({ delta: 3, stock: 4, reason: 'cancellation' });
    const reservation = await inventory.reservation(orderId);
    expect(reservation).toMatchObject({ status: 'CLOSED', reply: null });
    expect(await release(orderId)).toEqual({ status: 'NOTHING_TO_RELEASE' });
    expect(
      await inventory.failure(ReserveStock.pattern, inventory.reserveRequest(orderId, [{ productId: a, quantity: 3 }])),
    ).toMatchObject({ code: 'RESERVATION_CLOSED' });
    await flushed();
    expect(await inventory.stock(a)).toBe(4);
    expect(await inventory.published(a)).toHaveLength(1);
  });
});
