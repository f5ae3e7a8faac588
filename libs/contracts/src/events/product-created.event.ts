import { z } from 'zod';
import { defineEvent, type EventData } from '../define-event';
import { Cents, IsoTimestamp, ProductName, Sku, Uuid } from '../primitives';
import { checkSameIdAsAggregate } from '../refinements';

/** A product was added to the catalog, with its starting stock. */
export const ProductCreated = defineEvent({
  pattern: 'product.created',
  schemaVersion: 1,
  aggregateType: 'product',
  description: 'A product was added to the catalog, with its price and starting stock.',
  publishers: ['legacy-monolith', 'catalog'],
  consumers: ['legacy-monolith', 'catalog', 'inventory', 'orders'],
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
    id: 'e4d3c2b1-a09f-4e8d-b7c6-5a4b3c2d1e0f',
    schemaVersion: 1,
    occurredAt: '2026-11-22T04:00:00.000Z',
    origin: 'legacy-monolith',
    aggregateId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    sequence: 1,
    productId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    sku: 'MUG-001',
    name: 'Ficus mug',
    priceCents: 1_200,
    stock: 10,
    createdAt: '2026-11-22T04:00:00.000Z',
    updatedAt: '2026-11-22T04:00:00.000Z',
  },
});

export type ProductCreatedData = EventData<typeof ProductCreated>;
