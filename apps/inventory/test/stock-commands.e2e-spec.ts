import { randomUUID } from 'node:crypto';
import { ReleaseStock, ReserveStock } from '@app/contracts';
import { InventoryHarness } from './support/inventory-harness';

describe('inventory answers the saga: inventory.reserve-stock and inventory.release-stock', () => {
  let inventory: InventoryHarness;
  beforeAll(async () => {
    inventory = await InventoryHarness.start();
  });
  afterAll(() => inventory.close());

  /** Once this marker event is on the stream, every event recorded before it is there too (the relay keeps order). */
  const flushed = async () => {
    const marker = await inventory.product(1);
    await inventory.adjust(marker, { delta: 1, reason: 'marker' }).expect(201);
    await inventory.publishedCount(marker, 1);
  };

  describe('reserve', () => {
    it('takes the stock of every item and answers RESERVED with the stock each leaves', async () => {
      const a = await inventory.product(10);
      const b = await inventory.product(3);
      const orderId = randomUUID();

      const reply = await inventory.reserve(orderId, [
        { productId: b, quantity: 3 },
        { productId: a, quantity: 4 },
      ]);

      expect(reply).toEqual({
        status: 'RESERVED',
        items: [
          { productId: b, quantity: 3, stock: 0 },
          { productId: a, quantity: 4, stock: 6 },
        ],
      });
      expect(ReserveStock.replySchema.safeParse(reply).success).toBe(true);
      expect(await inventory.stock(a)).toBe(6);
      expect(await inventory.stock(b)).toBe(0);
      const [taken] = await inventory.movements(a);
      expect(taken).toMatchObject({ kind: 'order', delta: -4, stockAfter: 6, reason: `order ${orderId}`, orderId });
      const [event] = await inventory.publishedCount(a, 1);
      expect(event).toEqual({
        id: expect.any(String),
        schemaVersion: 1,
        occurredAt: taken!.createdAt.toISOString(),
        origin: 'inventory',
        aggregateId: a,
        sequence: 1,
        productId: a,
        delta: -4,
        stock: 6,
        reason: 'order',
        note: `order ${orderId}`,
        orderId,
        updatedAt: taken!.createdAt.toISOString(),
      });
      expect((await inventory.publishedCount(b, 1))[0]).toMatchObject({
        delta: -3,
        stock: 0,
        reason: 'order',
        orderId,
      });
      expect((await inventory.record(a))?.updatedAt).toEqual(taken!.createdAt);
    });

    it('answers a repeat with the first reply and takes nothing more, whatever the order of the items', async () => {
      const a = await inventory.product(10);
      const b = await inventory.product(10);
      const orderId = randomUUID();
      const items = [
        { productId: a, quantity: 2 },
        { productId: b, quantity: 1 },
      ];
      const first = await inventory.reserve(orderId, items);

      const again = await inventory.reserve(orderId, items);
      const reordered = await inventory.reserve(orderId, [...items].reverse());

      expect(again).toEqual(first);
      expect(reordered).toEqual(first);
      expect(await inventory.stock(a)).toBe(8);
      expect(await inventory.stock(b)).toBe(9);
      await flushed();
      expect(await inventory.published(a)).toHaveLength(1);
      expect(await inventory.published(b)).toHaveLength(1);
      expect(await inventory.orderMovements(orderId)).toHaveLength(2);
    });

    it('answers REJECTED OUT_OF_STOCK naming every product short, takes nothing, and answers a repeat the same', async () => {
      const plenty = await inventory.product(10);
      const few = await inventory.product(1);
      const none = await inventory.product(0);
      const orderId = randomUUID();
      const items = [
        { productId: none, quantity: 1 },
        { productId: plenty, quantity: 5 },
        { productId: few, quantity: 2 },
      ];

      const reply = await inventory.reserve(orderId, items);

      expect(reply).toEqual({ status: 'REJECTED', reason: 'OUT_OF_STOCK', productIds: [none, few] });
      expect(ReserveStock.replySchema.safeParse(reply).success).toBe(true);
      expect([await inventory.stock(plenty), await inventory.stock(few), await inventory.stock(none)]).toEqual([
        10, 1, 0,
      ]);
      // Stock arriving later does not change the answer for this order.
      await inventory.adjust(few, { delta: 5, reason: 'delivery' }).expect(201);
      await inventory.adjust(none, { delta: 5, reason: 'delivery' }).expect(201);
      expect(await inventory.reserve(orderId, items)).toEqual(reply);
      expect(await inventory.stock(plenty)).toBe(10);
      await flushed();
      expect(await inventory.published(plenty)).toEqual([]);
      expect(await inventory.orderMovements(orderId)).toEqual([]);
      expect((await inventory.reservation(orderId))?.status).toBe('REJECTED');
    });

    it('answers REJECTED PRODUCT_NOT_FOUND naming the unknown products, checked before stock, and takes nothing', async () => {
      const known = await inventory.product(1);
      const unknown = randomUUID();
      const orderId = randomUUID();

      const reply = await inventory.reserve(orderId, [
        { productId: known, quantity: 5 },
        { productId: unknown, quantity: 1 },
      ]);

      expect(reply).toEqual({ status: 'REJECTED', reason: 'PRODUCT_NOT_FOUND', productIds: [unknown] });
      expect(await inventory.stock(known)).toBe(1);
      expect(await inventory.orderMovements(orderId)).toEqual([]);
      expect(
        await inventory.reserve(orderId, [
          { productId: known, quantity: 5 },
          { productId: unknown, quantity: 1 },
        ]),
      ).toEqual(reply);
    });

    it('answers RESERVATION_CONFLICT to a repeat with other items, and changes nothing', async () => {
      const a = await inventory.product(10);
      const orderId = randomUUID();
      const first = await inventory.reserve(orderId, [{ productId: a, quantity: 2 }]);

      const failure = await inventory.failure(
        ReserveStock.pattern,
        inventory.reserveRequest(orderId, [{ productId: a, quantity: 3 }]),
      );

      expect(failure).toEqual({
        code: 'RESERVATION_CONFLICT',
        message: `Order ${orderId} was already asked to reserve other items; a repeat must name the same items and quantities.`,
      });
      expect(await inventory.stock(a)).toBe(8);
      expect(await inventory.reserve(orderId, [{ productId: a, quantity: 2 }])).toEqual(first);
    });

    it.each<[string, Record<string, unknown> | 'repeat' | 'no header', string]>([
      ['quantity 0', { items: [{ productId: randomUUID(), quantity: 0 }] }, 'items.0.quantity'],
      ['quantity 101', { items: [{ productId: randomUUID(), quantity: 101 }] }, 'items.0.quantity'],
      ['no items', { items: [] }, 'items'],
      ['a repeated product', 'repeat', 'items.1.productId'],
      ['an order id that is not a UUID', { orderId: 'order-1' }, 'orderId'],
      ['an unknown field', { note: 'hi' }, 'Unrecognized key: "note"'],
      ['no header', 'no header', 'commandId'],
    ])('answers VALIDATION_FAILED to a request with %s, and changes nothing', async (_case, change, path) => {
      const productId = await inventory.product(5);
      const orderId = randomUUID();
      let data: Record<string, unknown> = inventory.reserveRequest(orderId, [{ productId, quantity: 1 }]);
      if (change === 'repeat') {
        data.items = [
          { productId, quantity: 1 },
          { productId: productId.toUpperCase(), quantity: 1 },
        ];
      } else if (change === 'no header') {
        const { commandId: _id, ...rest } = data;
        data = rest;
      } else {
        data = { ...data, ...change };
      }

      const failure = await inventory.failure(ReserveStock.pattern, data);

      expect(failure.code).toBe('VALIDATION_FAILED');
      expect(Array.isArray(failure.message) ? failure.message.join('\n') : failure.message).toContain(path);
      expect(await inventory.stock(productId)).toBe(5);
      expect(await inventory.reservation(orderId)).toBeNull();
    });
  });

  describe('release', () => {
    it('puts the stock of a reservation back and answers RELEASED; a repeat answers RELEASED and changes nothing', async () => {
      const a = await inventory.product(10);
      const b = await inventory.product(5);
      const orderId = randomUUID();
      const reserved = await inventory.reserve(orderId, [
        { productId: a, quantity: 4 },
        { productId: b, quantity: 5 },
      ]);

      const reply = await inventory.release(orderId);

      expect(reply).toEqual({ status: 'RELEASED' });
      expect(ReleaseStock.replySchema.safeParse(reply).success).toBe(true);
      expect(await inventory.stock(a)).toBe(10);
      expect(await inventory.stock(b)).toBe(5);
      const [, back] = await inventory.movements(a);
      expect(back).toMatchObject({
        kind: 'cancellation',
        delta: 4,
        stockAfter: 10,
        reason: `cancellation of order ${orderId}`,
        orderId,
      });
      const events = await inventory.publishedCount(a, 2);
      expect(events[1]).toMatchObject({
        origin: 'inventory',
        sequence: 2,
        delta: 4,
        stock: 10,
        reason: 'cancellation',
        note: `cancellation of order ${orderId}`,
        orderId,
        updatedAt: back!.createdAt.toISOString(),
      });
      expect((await inventory.publishedCount(b, 2))[1]).toMatchObject({ delta: 5, stock: 5, reason: 'cancellation' });

      expect(await inventory.release(orderId)).toEqual({ status: 'RELEASED' });
      // A late repeat of the reservation answers as the first time and takes nothing.
      expect(
        await inventory.reserve(orderId, [
          { productId: a, quantity: 4 },
          { productId: b, quantity: 5 },
        ]),
      ).toEqual(reserved);
      expect(await inventory.stock(a)).toBe(10);
      await flushed();
      expect(await inventory.published(a)).toHaveLength(2);
      expect(await inventory.orderMovements(orderId)).toHaveLength(4);
      expect((await inventory.reservation(orderId))?.status).toBe('RELEASED');
    });

    it('answers NOTHING_TO_RELEASE for a rejected reservation, and changes nothing', async () => {
      const a = await inventory.product(1);
      const orderId = randomUUID();
      await inventory.reserve(orderId, [{ productId: a, quantity: 2 }]);

      expect(await inventory.release(orderId)).toEqual({ status: 'NOTHING_TO_RELEASE' });
      expect(await inventory.release(orderId)).toEqual({ status: 'NOTHING_TO_RELEASE' });
      expect(await inventory.stock(a)).toBe(1);
      expect(await inventory.orderMovements(orderId)).toEqual([]);
    });

    it('answers NOTHING_TO_RELEASE for an order never reserved, and a late reservation of it takes nothing', async () => {
      const a = await inventory.product(3);
      const orderId = randomUUID();

      expect(await inventory.release(orderId)).toEqual({ status: 'NOTHING_TO_RELEASE' });
      expect(await inventory.release(orderId)).toEqual({ status: 'NOTHING_TO_RELEASE' });

      const late = await inventory.failure(
        ReserveStock.pattern,
        inventory.reserveRequest(orderId, [{ productId: a, quantity: 1 }]),
      );
      expect(late).toEqual({
        code: 'RESERVATION_CLOSED',
        message: `Order ${orderId} was released before it was reserved; no stock is taken for it.`,
      });
      expect(await inventory.stock(a)).toBe(3);
      expect(await inventory.orderMovements(orderId)).toEqual([]);
    });

    it('answers VALIDATION_FAILED to a request without an order id', async () => {
      const failure = await inventory.failure(ReleaseStock.pattern, {
        commandId: randomUUID(),
        schemaVersion: 1,
        issuedAt: new Date().toISOString(),
        origin: 'orders',
      });
      expect(failure.code).toBe('VALIDATION_FAILED');
      expect(String(failure.message)).toContain('orderId');
    });
  });
});
