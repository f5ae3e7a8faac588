import { randomUUID } from 'node:crypto';
import { ReleaseStock, ReserveStock, type ReserveStockReply } from '@app/contracts';
import { InventoryHarness, type Item } from './support/inventory-harness';

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe.each(['sqlite', 'postgres'] as const)('concurrent saga commands (%s)', (database) => {
  let inventory: InventoryHarness;
  beforeAll(async () => {
    inventory = await InventoryHarness.start({ database });
  });
  afterAll(() => inventory.close());

  it('50 concurrent reservations over overlapping products: all or nothing each, never below zero, nothing lost', async () => {
    const initial = [12, 9, 15, 6, 10, 8];
    const products = await Promise.all(initial.map((stock) => inventory.product(stock)));
    const next = random(database === 'sqlite' ? 7 : 11);
    const orders = Array.from({ length: 50 }, () => {
      // 1 to 4 different products, in a random order (so lock order cannot follow request order).
      const chosen = [...products].sort(() => next() - 0.5).slice(0, 1 + Math.floor(next() * 4));
      return {
        orderId: randomUUID(),
        items: chosen.map((productId) => ({ productId, quantity: 1 + Math.floor(next() * 3) })),
      };
    });

    const replies = await Promise.all(
      orders.map((order) =>
        inventory.reserve(order.orderId, order.items).then(
          (reply) => ({ ok: true as const, reply }),
          (error: unknown) => ({ ok: false as const, error: String(error) }),
        ),
      ),
    );

    expect(replies.filter((outcome) => !outcome.ok)).toEqual([]);
    const answered = replies.map((outcome) => (outcome as { reply: ReserveStockReply }).reply);
    for (const reply of answered) expect(ReserveStock.replySchema.safeParse(reply).success).toBe(true);
    const reserved = orders.filter((_order, index) => answered[index]!.status === 'RESERVED');
    const rejected = orders.filter((_order, index) => answered[index]!.status === 'REJECTED');
    expect(reserved.length).toBeGreaterThan(0);
    expect(rejected.length).toBeGreaterThan(0);
    for (const [index, reply] of answered.entries()) {
      if (reply.status === 'REJECTED') expect(reply.reason).toBe('OUT_OF_STOCK');
      else expect(reply.items.map((item) => item.productId)).toEqual(orders[index]!.items.map((i) => i.productId));
    }

    // All or nothing: a reserved order took every item, a rejected one took nothing.
    for (const order of reserved) {
      const movements = await inventory.orderMovements(order.orderId);
      expect(movements.map((m) => [m.productId, -m.delta]).sort()).toEqual(
        order.items.map((item: Item) => [item.productId, item.quantity]).sort(),
      );
    }
    for (const order of rejected) expect(await inventory.orderMovements(order.orderId)).toEqual([]);

    // Conservation: what is left plus what was reserved is what there was; never below zero.
    for (const [index, productId] of products.entries()) {
      const taken = reserved
        .flatMap((order) => order.items)
        .filter((item) => item.productId === productId)
        .reduce((sum, item) => sum + item.quantity, 0);
      const stock = (await inventory.stock(productId))!;
      expect(stock).toBeGreaterThanOrEqual(0);
      expect(stock + taken).toBe(initial[index]);
      // The ledger walks down from the initial stock, each entry from the one before (no lost update),
      // and its times follow that order.
      const movements = await inventory.movements(productId);
      const chain = [...movements].sort((x, y) => y.stockAfter - x.stockAfter);
      chain.forEach((movement, position) => {
        expect(movement.stockAfter).toBe((chain[position - 1]?.stockAfter ?? initial[index]!) + movement.delta);
      });
      expect(chain.map((m) => m.createdAt.getTime())).toEqual(movements.map((m) => m.createdAt.getTime()));
      // One event per change of this product, numbered 1..n, the last carrying the stock left.
      const events = await inventory.publishedCount(productId, movements.length);
      expect(events.map((event) => event.sequence).sort((a, b) => a - b)).toEqual(movements.map((_m, i) => i + 1));
      if (events.length > 0) expect(events.find((e) => e.sequence === events.length)!.stock).toBe(stock);
    }
  });

  it('20 concurrent repeats of one order reserve once and all answer the same', async () => {
    const a = await inventory.product(30);
    const b = await inventory.product(30);
    const orderId = randomUUID();
    const items = [
      { productId: a, quantity: 3 },
      { productId: b, quantity: 2 },
    ];

    const replies = await Promise.all(
      Array.from({ length: 20 }, (_v, index) => inventory.reserve(orderId, index % 2 ? [...items].reverse() : items)),
    );

    for (const reply of replies) expect(reply).toEqual(replies[0]);
    expect(replies[0]).toEqual({
      status: 'RESERVED',
      items: [
        { productId: a, quantity: 3, stock: 27 },
        { productId: b, quantity: 2, stock: 28 },
      ],
    });
    expect(await inventory.stock(a)).toBe(27);
    expect(await inventory.stock(b)).toBe(28);
    expect(await inventory.orderMovements(orderId)).toHaveLength(2);
  });

  it('20 concurrent releases of one order put its stock back once', async () => {
    const a = await inventory.product(10);
    const orderId = randomUUID();
    await inventory.reserve(orderId, [{ productId: a, quantity: 4 }]);

    const replies = await Promise.all(Array.from({ length: 20 }, () => inventory.release(orderId)));

    for (const reply of replies) expect(reply).toEqual({ status: 'RELEASED' });
    expect(replies.every((reply) => ReleaseStock.replySchema.safeParse(reply).success)).toBe(true);
    expect(await inventory.stock(a)).toBe(10);
    expect((await inventory.orderMovements(orderId)).map((m) => m.delta).sort()).toEqual([-4, 4]);
  });

  it('a release racing its reservation either puts the stock back or closes the order first: never a leak', async () => {
    const a = await inventory.product(50);
    const orderIds = Array.from({ length: 10 }, () => randomUUID());

    await Promise.all(
      orderIds.flatMap((orderId) => [
        inventory.reserve(orderId, [{ productId: a, quantity: 1 }]).catch(() => undefined),
        inventory.release(orderId),
      ]),
    );

    expect(await inventory.stock(a)).toBe(50);
    for (const orderId of orderIds) {
      expect(['RELEASED', 'CLOSED']).toContain((await inventory.reservation(orderId))?.status);
    }
  });
});
