import { z } from 'zod';
import { defineSnapshot, type EventData } from '../define-event';
import { Cents, IsoTimestamp, ProductName, Sku, Uuid } from '../primitives';
import { checkSameIdAsAggregate } from '../refinements';

/** The whole state of a product and its stock, published by a backfill. */
export const ProductSnapshot = defineSnapshot({
  pattern: 'product.snapshot',
  schemaVersion: 1,
  aggregateType: 'product',
  description:
    'The whole state of a product and its stock, published by a backfill so a new service can start from it. `sequences` says, per ' +
    'origin, the last sequence of its events of this product that the state reflects (absent: none); events at ' +
    'or below it are already in the snapshot.',
  publishers: ['legacy-monolith'],
  consumers: ['catalog', 'inventory', 'orders'],
  payload: {
    productId: Uuid,
    sku: Sku,
    name: ProductName,
    priceCents: Cents,
    stock: z.int().min(0),
    createdAt: IsoTimestamp,
    updatedAt: IsoTimestamp,
  },
  refine: (data, ctx) => checkSameIdAsAggregate(data, 'productId', ctx),
  example: {
    id: '2b3c4d5e-6f7a-4b9c-8d1e-2f3a4b5c6d7e',
    schemaVersion: 1,
    occurredAt: '2026-11-23T00:00:00.000Z',
    origin: 'legacy-monolith',
    aggregateId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    sequences: { 'legacy-monolith': 2, catalog: 1 },
    productId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    sku: 'MUG-001',
    name: 'Ficus mug',
    priceCents: 1_500,
    stock: 8,
    createdAt: '2026-11-22T04:00:00.000Z',
    updatedAt: '2026-11-22T05:00:00.000Z',
  },
});

export type ProductSnapshotData = EventData<typeof ProductSnapshot>;
