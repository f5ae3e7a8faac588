import { eventually, readDeadLetters } from '../../../tools/testing/test-streams';
import { CatalogHarness } from './support/catalog-harness';
import {
  later,
  newProduct,
  productCreated,
  productSnapshot,
  productUpdated,
  stockAdjusted,
} from './support/product-events';

const LEGACY = 'legacy-monolith';
const INVENTORY = 'inventory';

describe.each(['sqlite', 'postgres'] as const)('the read model, built from events of every origin (%s)', (database) => {
  let catalog: CatalogHarness;
  beforeAll(async () => {
    catalog = await CatalogHarness.start({ database });
  });
  afterAll(() => catalog.close());

  /** How many messages the inbox skipped as `outcome` (from `/metrics`). */
  async function inboxCount(outcome: 'applied' | 'duplicate' | 'stale'): Promise<number> {
    const metrics = (await catalog.http().get('/metrics')).text;
    const line = metrics
      .split('\n')
      .find((entry) => entry.startsWith('inbox_messages_total{') && entry.includes(`outcome="${outcome}"`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  it('applies product.created, then stock.adjusted of the monolith and inventory interleaved: stock and updatedAt follow', async () => {
    const product = newProduct({ stock: 10 });
    await catalog.publish('product.created', productCreated(LEGACY, product));
    expect(await catalog.productBecomes(product.productId)).toEqual({
      id: product.productId,
      sku: product.sku,
      name: product.name,
      priceCents: product.priceCents,
      stock: 10,
      createdAt: product.createdAt,
      updatedAt: product.createdAt,
    });

    const steps = [
      stockAdjusted(LEGACY, product.productId, 2, -3, 7),
      stockAdjusted(INVENTORY, product.productId, 1, 5, 12),
      stockAdjusted(LEGACY, product.productId, 3, -2, 10),
      stockAdjusted(INVENTORY, product.productId, 2, -1, 9),
    ];
    for (const step of steps) {
      await catalog.publish('stock.adjusted', step);
      const shown = await catalog.productBecomes(product.productId, (found) => found.updatedAt === step.updatedAt);
      expect(shown).toMatchObject({ stock: step.stock, createdAt: product.createdAt, updatedAt: step.updatedAt });
    }
  });

  it('converges on the sum of the deltas when both origins publish at once', async () => {
    const product = newProduct({ stock: 100 });
    await catalog.publish('product.created', productCreated(LEGACY, product));
    const events = Array.from({ length: 10 }, (_, index) => [
      stockAdjusted(LEGACY, product.productId, index + 2, -1, 0),
      stockAdjusted(INVENTORY, product.productId, index + 1, 3, 0),
    ]).flat();

    await Promise.all(events.map((event) => catalog.publish('stock.adjusted', event)));

    await catalog.productBecomes(product.productId, (found) => found.stock === 100 - 10 + 30);
    expect(await readDeadLetters(catalog.redisPrefix, 'catalog')).toEqual([]);
  });

  it('applies a duplicated entry, and an event published again later, once', async () => {
    const duplicates = await inboxCount('duplicate');
    const product = newProduct({ stock: 5 });
    const created = productCreated(LEGACY, product);
    const adjusted = stockAdjusted(LEGACY, product.productId, 2, 4, 9);
    await catalog.publish('product.created', created);
    await catalog.publish('product.created', created);
    await catalog.publish('stock.adjusted', adjusted);
    await catalog.publish('stock.adjusted', adjusted);
    await catalog.productBecomes(product.productId, (found) => found.stock === 9);
    await eventually(
      () => inboxCount('duplicate'),
      (count) => count === duplicates + 2,
    );

    // The relay publishes both again (a crash between publishing and marking), then the next change.
    await catalog.publish('product.created', created);
    await catalog.publish('stock.adjusted', adjusted);
    await eventually(
      () => inboxCount('duplicate'),
      (count) => count === duplicates + 4,
    );
    expect(await catalog.product(product.productId)).toMatchObject({ stock: 9, updatedAt: adjusted.updatedAt });
    const next = stockAdjusted(LEGACY, product.productId, 3, -1, 8);
    await catalog.publish('stock.adjusted', next);

    const shown = await catalog.productBecomes(product.productId, (found) => found.updatedAt === next.updatedAt);
    expect(shown.stock).toBe(8);
  });

  it("applies one origin's events in their order, whatever order they arrive in", async () => {
    const product = newProduct({ stock: 1 });
    const created = productCreated(LEGACY, product);
    // Applied in arrival order, the first would take the stock below zero.
    const second = stockAdjusted(LEGACY, product.productId, 2, -1, 0);
    const third = stockAdjusted(LEGACY, product.productId, 3, 6, 6);
    const fourth = productUpdated(LEGACY, product.productId, 4, { name: 'Renamed Ä', priceCents: 4_200 });

    await catalog.publish('product.updated', fourth);
    await catalog.publish('stock.adjusted', third);
    await catalog.publish('stock.adjusted', second);
    await catalog.publish('product.created', created);

    const shown = await catalog.productBecomes(product.productId, (found) => found.updatedAt === fourth.updatedAt);
    expect(shown).toMatchObject({ name: 'Renamed Ä', priceCents: 4_200, stock: 6 });
    const search = await catalog.http().get('/api/products').query({ q: 'renamed ä' });
    expect(search.body.items).toEqual([shown]);
    expect(await readDeadLetters(catalog.redisPrefix, 'catalog')).toEqual([]);
  });

  it('applies a stock event of another origin that arrives before its product, once the product is there', async () => {
    const product = newProduct({ stock: 2 });
    const adjusted = stockAdjusted(INVENTORY, product.productId, 1, 8, 10, later());

    await catalog.publish('stock.adjusted', adjusted);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await catalog.product(product.productId)).toBeUndefined();
    await catalog.publish('product.created', productCreated(LEGACY, product));

    const shown = await catalog.productBecomes(product.productId, (found) => found.stock === 10);
    expect(shown.updatedAt).toBe(adjusted.updatedAt);
    expect(await readDeadLetters(catalog.redisPrefix, 'catalog')).toEqual([]);
  });

  it('builds a product from a snapshot, continues after the sequences it reflects, and ignores a stale snapshot', async () => {
    const product = newProduct({ stock: 7, priceCents: 1_500 });
    await catalog.publish('product.snapshot', productSnapshot(product, { [LEGACY]: 3, [INVENTORY]: 1 }));
    expect(await catalog.productBecomes(product.productId)).toEqual({
      id: product.productId,
      sku: product.sku,
      name: product.name,
      priceCents: 1_500,
      stock: 7,
      createdAt: product.createdAt,
      updatedAt: product.updatedAt,
    });

    // Already in the snapshot: skipped. The next ones: applied.
    await catalog.publish('stock.adjusted', stockAdjusted(LEGACY, product.productId, 3, -5, 2));
    await catalog.publish('stock.adjusted', stockAdjusted(INVENTORY, product.productId, 1, 5, 7));
    const next = stockAdjusted(LEGACY, product.productId, 4, 2, 9);
    await catalog.publish('stock.adjusted', next);
    await catalog.productBecomes(product.productId, (found) => found.updatedAt === next.updatedAt);
    expect((await catalog.product(product.productId))?.stock).toBe(9);

    const stale = await inboxCount('stale');
    await catalog.publish(
      'product.snapshot',
      productSnapshot({ ...product, stock: 1 }, { [LEGACY]: 3, [INVENTORY]: 1 }),
    );
    await eventually(
      () => inboxCount('stale'),
      (count) => count === stale + 1,
    );
    expect(await catalog.product(product.productId)).toMatchObject({ stock: 9, updatedAt: next.updatedAt });
  });

  it('replaces what it has with a newer snapshot', async () => {
    const product = newProduct({ stock: 3 });
    await catalog.publish('product.created', productCreated(LEGACY, product));
    await catalog.productBecomes(product.productId);
    const newer = { ...product, name: 'Newer name', stock: 20, updatedAt: later() };

    await catalog.publish('product.snapshot', productSnapshot(newer, { [LEGACY]: 5 }));

    const shown = await catalog.productBecomes(product.productId, (found) => found.stock === 20);
    expect(shown).toMatchObject({ name: 'Newer name', updatedAt: newer.updatedAt, createdAt: product.createdAt });
  });

  it('sends an event that breaks its contract to the dead-letter stream with the reason, and applies nothing', async () => {
    const product = newProduct();
    const invalid: Record<string, unknown> = { ...productCreated(LEGACY, product), sku: 'lower-case sku', stock: -1 };

    await catalog.publish('product.created', invalid);

    const letters = await eventually(
      () => readDeadLetters(catalog.redisPrefix, 'catalog'),
      (found) => found.some((letter) => letter.id === invalid.id),
    );
    const letter = letters.find((found) => found.id === invalid.id)!;
    expect(letter).toMatchObject({ pattern: 'product.created', reason: { code: 'STREAMS_INVALID_MESSAGE' } });
    expect(letter.reason.message).toContain('sku');
    expect(letter.reason.message).toContain('stock');
    expect(await catalog.product(product.productId)).toBeUndefined();
  });
});
