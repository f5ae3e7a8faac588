import { z } from 'zod';
import { defineEvent, type EventData } from '../define-event';
import { OrderItems, orderTotal } from '../order-lines';
import { Cents, IsoTimestamp, Uuid } from '../primitives';
import { checkSameIdAsAggregate, report } from '../refinements';

export const REJECTION_REASONS = ['INSUFFICIENT_FUNDS', 'OUT_OF_STOCK'] as const;

/** An order was placed and decided: approved (stock taken, wallet debited) or rejected (nothing changed). */
export const OrderPlaced = defineEvent({
  pattern: 'order.placed',
  schemaVersion: 1,
  aggregateType: 'order',
  description:
    'An order was placed and decided. `APPROVED`: its stock was taken and the wallet debited (see ' +
    '`stock.adjusted` and `wallet.debited`); `REJECTED`: nothing else changed, `rejectionReason` says why. ' +
    'Items are priced at placement; `totalCents` is the sum of quantity × unit price.',
  publishers: ['legacy-monolith', 'orders'],
  consumers: ['legacy-monolith', 'orders'],
  payload: {
    orderId: Uuid,
    customerId: Uuid,
    items: OrderItems,
    totalCents: Cents,
    status: z.enum(['APPROVED', 'REJECTED']),
    rejectionReason: z.enum(REJECTION_REASONS).nullable(),
    createdAt: IsoTimestamp,
  },
  refine: (data, ctx) => {
    checkSameIdAsAggregate(data, 'orderId', ctx);
    if (data.status === 'APPROVED' && data.rejectionReason !== null) {
      report(ctx, ['rejectionReason'], 'must be null when status is APPROVED');
    }
    if (data.status === 'REJECTED' && data.rejectionReason === null) {
      report(ctx, ['rejectionReason'], 'must say why when status is REJECTED');
    }
    const total = orderTotal(data.items);
    if (data.totalCents !== total) report(ctx, ['totalCents'], `must be the sum of the items (${total})`);
  },
  example: {
    id: 'd7e6f5a4-b3c2-4d1e-8f0a-9b8c7d6e5f4a',
    schemaVersion: 1,
    occurredAt: '2026-11-22T04:10:00.000Z',
    origin: 'legacy-monolith',
    aggregateId: '3f2e1d0c-b9a8-4765-9432-10fedcba9876',
    sequence: 1,
    orderId: '3f2e1d0c-b9a8-4765-9432-10fedcba9876',
    customerId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
    items: [{ productId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', quantity: 2, unitPriceCents: 1_200 }],
    totalCents: 2_400,
    status: 'APPROVED',
    rejectionReason: null,
    createdAt: '2026-11-22T04:10:00.000Z',
  },
});

export type OrderPlacedData = EventData<typeof OrderPlaced>;
