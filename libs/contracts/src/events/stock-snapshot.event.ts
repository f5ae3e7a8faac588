import { z } from 'zod';
import { defineSnapshot, type EventData } from '../define-event';
import { Uuid } from '../primitives';
import { checkSameIdAsAggregate } from '../refinements';

/** A product's stock as inventory holds it: its answer to a gap past its outbox's retention. */
export const StockSnapshot = defineSnapshot({
  pattern: 'stock.snapshot',
  schemaVersion: 1,
  aggregateType: 'product',
  scope: 'origin',
  description:
    "A product's stock as inventory holds it, recorded when a consumer asks for stock events that inventory's " +
    "outbox no longer holds. Stock is the sum of every origin's deltas, and this carries no name or price: a " +
    "consumer applies it only when it brings inventory's sequence forward and its `sequences` equal what the " +
    'consumer has applied of every other origin, and then moves forward on inventory alone.',
  publishers: ['inventory'],
  consumers: ['legacy-monolith', 'catalog'],
  payload: {
    productId: Uuid,
    stock: z.int().min(0),
  },
  refine: (data, ctx) => checkSameIdAsAggregate(data, 'productId', ctx),
  example: {
    id: '2b4d6f8a-1c3e-4a5b-8d7f-9e0a1b2c3d4e',
    schemaVersion: 1,
    occurredAt: '2026-12-07T06:00:00.000Z',
    origin: 'inventory',
    aggregateId: '7d1e0c52-8a4b-4c3d-9e2f-1a0b9c8d7e6f',
    sequences: { 'legacy-monolith': 2, inventory: 9 },
    productId: '7d1e0c52-8a4b-4c3d-9e2f-1a0b9c8d7e6f',
    stock: 14,
  },
});

export type StockSnapshotData = EventData<typeof StockSnapshot>;
