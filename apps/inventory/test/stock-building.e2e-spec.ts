import { randomUUID } from 'node:crypto';
import { eventually, readDeadLetters } from '../../../tools/testing/test-streams';
import { InventoryHarness } from './support/inventory-harness';
import { ProductEventSource, publishSnapshot } from './support/product-events';

describe('inventory builds its stock from the events of other services', () => {
  let inventory: InventoryHarness;
  let legacy: ProductEventSource;
  let catalog: ProductEventSource;
  beforeAll(async () => {
    inventory = await InventoryHarness.start();
    legacy = inventory.legacy;
    catalog = new ProductEventSource(inventory.redisPrefix, 'catalog');
  });
  afterAll(() => inventory.close());

  /** The ledger as (delta, stock after) pairs, oldest first. */
  const ledger = async (productId: string) =>
    (await inventory.movements(productId)).map((movement) => [movement.delta, movement.stockAfter]);

  /** The ledger's pairs in a fixed order, for ledgers that mix times of this run and of the events' clock. */
  const unordered = (pairs: number[][]) => [...pairs].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);

  /** How many messages the inbox counted with `outcome` (`applied`, `duplicate`, `stale`, `out_of_order`). */
  const inboxCount = async (outcome: string) => {
    const line = (await inventory.metrics())
      .split('\n')
      .find((text) => text.startsWith('inbox_messages_total{') && text.includes(`outcome="${outcome}"`));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('applies product.created and stock.adjusted of the monolith; adjustments then answer the right stock', async () => {
    const productId = randomUUID();
    const created = await legacy.created(productId, 10);
    await legacy.adjusted(productId, -3, 7);
    const order = randomUUID();
    await legacy.adjusted(productId, -2, 5, order);
    const cancelled = await legacy.adjusted(productId, 2, 7, order);

    await inventory.stockBecomes(productId, 7);

    const record = await inventory.record(productId);
    expect(record!.createdAt.toISOString()).toBe(created.createdAt);
    expect(record!.updatedAt.toISOString()).toBe(cancelled.updatedAt);
    expect(
      (await inventory.movements(productId)).map(({ kind, delta, stockAfter, reason, orderId }) => [
        kind,
        delta,
        stockAfter,
        reason,
        orderId,
      ]),
    ).toEqual([
      ['adjustment', -3, 7, 'stock count', null],
      ['order', -2, 5, `order ${order}`, order],
      ['cancellation', 2, 7, `cancellation of order ${order}`, order],
    ]);
    const response = await inventory.adjust(productId, { delta: 1, reason: 'count' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ productId, delta: 1, stock: 8 });
  });

  it('applies a product created at catalog', async () => {
    const productId = randomUUID();
    await catalog.created(productId, 4);
    await inventory.stockBecomes(productId, 4);

    expect((await inventory.adjust(productId, { delta: -4, reason: 'sold out' })).body).toEqual({
      productId,
      delta: -4,
      stock: 0,
    });
  });

  it('applies a duplicated event once', async () => {
    const productId = await inventory.product(5);
    const event = legacy.makeAdjusted(productId, 2, 7);

    await legacy.publish('stock.adjusted', event);
    await legacy.publish('stock.adjusted', event);
    await legacy.adjusted(productId, 1, 8);

    await inventory.stockBecomes(productId, 8);
    expect(await ledger(productId)).toEqual([
      [2, 7],
      [1, 8],
    ]);
  });

  it("applies one origin's events of a product in their order, whatever order they arrive in", async () => {
    const productId = randomUUID();
    const created = legacy.makeCreated(productId, 5);
    const taken = legacy.makeAdjusted(productId, -4, 1);
    const added = legacy.makeAdjusted(productId, 1, 2);
    // A product.updated in between: inventory does not apply it, but waits for its number.
    const renamed = legacy.makeUpdated(productId, 'Renamed');
    const last = legacy.makeAdjusted(productId, -2, 0);

    await legacy.publish('stock.adjusted', last);
    await legacy.publish('stock.adjusted', added);
    await legacy.publish('product.updated', renamed);
    await legacy.publish('stock.adjusted', taken);
    await legacy.publish('product.created', created);

    await eventually(
      () => ledger(productId),
      (pairs) => pairs.length === 3,
    );
    expect(await ledger(productId)).toEqual([
      [-4, 1],
      [1, 2],
      [-2, 0],
    ]);
    expect(await inventory.stock(productId)).toBe(0);
  });

  it('applies a stock event that arrives before the product.created of another origin, once that arrives', async () => {
    const productId = randomUUID();
    // The product was made at catalog; the monolith changed its stock, and that event comes first.
    await legacy.adjusted(productId, 6, 10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await inventory.record(productId)).toBeNull();

    await catalog.created(productId, 4);

    await inventory.stockBecomes(productId, 10);
    expect(await ledger(productId)).toEqual([[6, 10]]);
  });

  it('applies a stock event that would go below zero once the stock allows it (another writer added some)', async () => {
    const productId = await inventory.product(3);
    await legacy.adjusted(productId, -5, 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await inventory.stock(productId)).toBe(3);

    await inventory.adjust(productId, { delta: 10, reason: 'delivery' }).expect(201);

    await inventory.stockBecomes(productId, 8);
    expect(unordered(await ledger(productId))).toEqual([
      [-5, 8],
      [10, 13],
    ]);
  });

  it('ignores its own events coming back from the stream', async () => {
    const productId = await inventory.product(2);
    await inventory.adjust(productId, { delta: 3, reason: 'count' }).expect(201);
    await inventory.publishedCount(productId, 1);
    // A later event of the monolith on the same stream: once it is applied, the own one was read too.
    await legacy.adjusted(productId, 1, 6);

    await inventory.stockBecomes(productId, 6);
    expect(unordered(await ledger(productId))).toEqual([
      [1, 6],
      [3, 5],
    ]);
  });

  describe('product.snapshot', () => {
    it('builds the record of a product inventory has never seen, and the events after it continue from there', async () => {
      const productId = randomUUID();
      // Events 1 and 2 of the monolith happened before the backfill and are in the snapshot.
      legacy.makeCreated(productId, 10);
      legacy.makeAdjusted(productId, -2, 8);

      const snapshot = await publishSnapshot(inventory.redisPrefix, productId, 8, { 'legacy-monolith': 2 });
      await inventory.stockBecomes(productId, 8);
      const record = await inventory.record(productId);
      expect(record!.updatedAt.toISOString()).toBe(snapshot.updatedAt);
      expect(record!.createdAt.toISOString()).toBe(snapshot.createdAt);

      await legacy.adjusted(productId, 5, 13);
      await inventory.stockBecomes(productId, 13);
      expect(await ledger(productId)).toEqual([[5, 13]]);
    });

    it('ignores a snapshot older than what inventory has applied', async () => {
      const productId = await inventory.product(10);
      await legacy.adjusted(productId, -3, 7);
      await inventory.stockBecomes(productId, 7);
      const staleBefore = await inboxCount('stale');

      await publishSnapshot(inventory.redisPrefix, productId, 10, { 'legacy-monolith': 1 });

      await eventually(
        () => inboxCount('stale'),
        (count) => count === staleBefore + 1,
      );
      expect(await inventory.stock(productId)).toBe(7);
    });

    it('ignores a snapshot that misses a change inventory made itself', async () => {
      const productId = await inventory.product(10);
      await inventory.adjust(productId, { delta: -1, reason: 'broken' }).expect(201);
      const staleBefore = await inboxCount('stale');

      // The monolith's backfill had not yet applied inventory's adjustment.
      await publishSnapshot(inventory.redisPrefix, productId, 10, { 'legacy-monolith': 1 });

      await eventually(
        () => inboxCount('stale'),
        (count) => count === staleBefore + 1,
      );
      expect(await inventory.stock(productId)).toBe(9);
    });

    it('replaces the stock with a snapshot that covers everything applied', async () => {
      const productId = await inventory.product(10);
      await inventory.adjust(productId, { delta: -1, reason: 'broken' }).expect(201);

      const snapshot = await publishSnapshot(inventory.redisPrefix, productId, 9, {
        'legacy-monolith': 1,
        inventory: 1,
      });

      await eventually(
        async () => (await inventory.record(productId))?.updatedAt.toISOString(),
        (updatedAt) => updatedAt === snapshot.updatedAt,
      );
      expect(await inventory.stock(productId)).toBe(9);
    });
  });

  it('dead-letters nothing along the way', async () => {
    expect(await readDeadLetters(inventory.redisPrefix, 'inventory')).toEqual([]);
  });
});
