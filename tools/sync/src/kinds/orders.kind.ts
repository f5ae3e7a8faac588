import { type AggregateKind, integer, text } from './aggregate-kind';

const COLUMNS =
  'SELECT id AS id, customer_id AS "customerId", total_cents AS "totalCents", status AS status, ' +
  'rejection_reason AS "rejectionReason", created_at AS "createdAt", updated_at AS "updatedAt" FROM orders';

/**
 * An order, as the monolith and the orders service keep it: each applies the other's
 * `order.placed` and `order.cancelled` (apps/orders/src/consumed-events.ts), so both hold every
 * order. An order the service is still placing (`PENDING`, its saga under way) is on the service
 * only, and shows as a difference until its saga ends.
 */
export const ORDERS: AggregateKind = {
  name: 'orders',
  aggregateType: 'order',
  fields: [
    text('customerId'),
    integer('totalCents'),
    text('status'),
    text('rejectionReason'),
    text('createdAt'),
    text('updatedAt'),
  ],
  events: { creates: ['order.placed'], changes: ['order.cancelled'] },
  sides: [
    { process: 'legacy-monolith', sql: COLUMNS },
    { process: 'orders', sql: COLUMNS },
  ],
};
