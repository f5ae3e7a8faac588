import { defineEvent, type EventData } from '../define-event';
import { OrderItems, orderTotal } from '../order-lines';
import { Cents, IsoTimestamp, Uuid } from '../primitives';
import { checkSameIdAsAggregate, report } from '../refinements';

/** An approved order was cancelled: its stock was put back and its total refunded. */
export const OrderCancelled = defineEvent({
  pattern: 'order.cancelled',
  schemaVersion: 1,
  aggregateType: 'order',
  description:
    'An approved order was cancelled: its stock was put back (`stock.adjusted`, reason `cancellation`) and ' +
    '`totalCents` refunded to the wallet (`wallet.credited`, reason `refund`).',
  publishers: ['legacy-monolith', 'orders'],
  consumers: ['legacy-monolith', 'orders'],
  payload: {
    orderId: Uuid,
    customerId: Uuid,
    items: OrderItems,
    totalCents: Cents,
    cancelledAt: IsoTimestamp,
  },
  refine: (data, ctx) => {
    checkSameIdAsAggregate(data, 'orderId', ctx);
    const total = orderTotal(data.items);
    if (data.totalCents !== total) report(ctx, ['totalCents'], `must be the sum of the items (${total})`);
  },
  example: {
    id: 'f8a7b6c5-d4e3-4f2a-9b1c-0d9e8f7a6b5c',
    schemaVersion: 1,
    occurredAt: '2026-11-22T04:20:00.000Z',
    origin: 'legacy-monolith',
    aggregateId: '3f2e1d0c-b9a8-4765-9432-10fedcba9876',
    sequence: 2,
    orderId: '3f2e1d0c-b9a8-4765-9432-10fedcba9876',
    customerId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
    items: [{ productId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', quantity: 2, unitPriceCents: 1_200 }],
    totalCents: 2_400,
    cancelledAt: '2026-11-22T04:20:00.000Z',
  },
});

export type OrderCancelledData = EventData<typeof OrderCancelled>;
