import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl, toDataSourceOptions } from '@app/database';
import { OUTBOX_SCHEMA } from '@app/outbox';
import { type TestDatabase, createPostgresDatabase, createSqliteDatabase } from '../../../tools/testing/test-databases';
import { CatalogSchema1764100000000 } from '../src/database/migrations/1764100000000-catalog-schema';
import { CatalogHarness } from './support/catalog-harness';

/** A product as the first schema stored it, before the read model kept bodies. */
const stored = (sku: string, name: string, stock: number) => ({
  id: randomUUID(),
  sku,
  name,
  priceCents: 1_250,
  stock,
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-02T11:30:00.500Z',
});

describe.each(['sqlite', 'postgres'] as const)('the read model of an earlier version (%s)', (kind) => {
  let database: TestDatabase;
  let catalog: CatalogHarness | undefined;
  const products = [stored('OLD-MUG-1', 'Ocean Blue Mug', 7), stored('OLD-TEA-2', 'Grüner Teekessel', 0)];

  beforeAll(async () => {
    database = kind === 'postgres' ? await createPostgresDatabase() : createSqliteDatabase();
    // The database as the catalog left it before the stored bodies: its first migration only.
    const earlier = new DataSource(
      toDataSourceOptions(parseDatabaseUrl(database.url, 2), {
        entities: [],
        migrations: [CatalogSchema1764100000000, ...OUTBOX_SCHEMA.migrations],
      }),
    );
    await earlier.initialize();
    try {
      for (const product of products) {
        await earlier
          .createQueryBuilder()
          .insert()
          .into('products')
          .values({
            id: product.id,
            sku: product.sku,
            name: product.name,
            name_folded: product.name.toLowerCase(),
            price_cents: product.priceCents,
            stock: product.stock,
            created_at: product.createdAt,
            updated_at: product.updatedAt,
          })
          .execute();
      }
    } finally {
      await earlier.destroy();
    }
    catalog = await CatalogHarness.start({ databaseUrl: database.url });
  });

  afterAll(async () => {
    await catalog?.close();
    await database.drop();
  });

  it('is migrated on start: every product it held is served, exactly as before', async () => {
    for (const product of products) {
      const response = await catalog!.http().get(`/api/products/${product.id}`);

      expect(response.status).toBe(200);
      expect(response.text).toBe(JSON.stringify(product));
    }
  });

  it('is searched and paged by name and SKU after the migration', async () => {
    const [byName, bySku, all] = await Promise.all([
      catalog!.http().get('/api/products').query({ q: 'GRÜNER' }),
      catalog!.http().get('/api/products').query({ q: 'mug-1' }),
      catalog!.http().get('/api/products').query({ limit: 1, offset: 1 }),
    ]);

    expect(byName.body).toEqual({ items: [products[1]], total: 1, limit: 20, offset: 0 });
    expect(bySku.body).toEqual({ items: [products[0]], total: 1, limit: 20, offset: 0 });
    expect(all.body).toEqual({ items: [products[1]], total: 2, limit: 1, offset: 1 });
  });
});
