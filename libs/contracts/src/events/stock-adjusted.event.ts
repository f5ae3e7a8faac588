import { z } from 'zod';
import { defineEvent, type EventData } from '../define-event';
import { IsoTimestamp, Uuid } from '../primitives';
import { checkSameIdAsAggregate, report } from '../refinements';

/** A product's stock changed: a manual adjustment, an order taking it, or a cancellation putting it back. */
export const StockAdjusted = defineEvent({
  pattern: 'stock.adjusted',
  schemaVersion: 1,
  aggregateType: 'product',
  description:
    "A product's stock changed by `delta` to `stock`. `reason` is `adjustment` (manual; `orderId` null), " +
    '`order` (an approved order took it; `delta` < 0) or `cancellation` (a cancelled order put it back; ' +
    '`delta` > 0); for both, `orderId` names the order. `note` is the text recorded with the movement.',
  publishers: ['legacy-monolith', 'inventory'],
  consumers: ['legacy-monolith', 'catalog', 'inventory'],
  payload: {
    productId: Uuid,
    delta: z.int().refine((delta) => delta !== 0, 'must not be 0'),
    stock: z.int().min(0),
    reason: z.enum(['adjustment', 'order', 'cancellation']),
    note: z.string().min(1).max(200),
    orderId: Uuid.nullable(),
    updatedAt: IsoTimestamp,
  },
  refine: (data, ctx) => {
    checkSameIdAsAggregate(data, 'productId', ctx);
    if (data.reason === 'adjustment' && data.orderId !== null) {
      report(ctx, ['orderId'], 'must be null for an adjustment');
    }
    if (data.reason !== 'adjustment' && data.orderId === null) {
      report(ctx, ['orderId'], `must name the order of ${data.reason === 'order' ? 'an order' : 'a cancellation'}`);
    }
    if (data.reason === 'order' && data.delta > 0) report(ctx, ['delta'], 'must be negative for an order');
    if (data.reason === 'cancellation' && data.delta < 0) report(ctx, ['delta'], 'must be positive for a cancellation');
  },
  example: {
    id: 'c6d5e4f3-a2b1-4c0d-9e8f-7a6b5c4d3e2f',
    schemaVersion: 1,
    occurredAt: '2026-11-22T04:10:00.000Z',
    origin: 'legacy-monolith',
    aggregateId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    sequence: 2,
    productId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    delta: -2,
    stock: 8,
    reason: 'order',
    note: 'order 3f2e1d0c-b9a8-4765-9432-10fedcba9876',
    orderId: '3f2e1d0c-b9a8-4765-9432-10fedcba9876',
    updatedAt: '2026-11-22T04:10:00.000Z',
  },
});

export type StockAdjustedData = EventData<typeof StockAdjusted>;
