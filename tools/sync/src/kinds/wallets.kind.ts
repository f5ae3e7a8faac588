import { type AggregateKind, integer } from './aggregate-kind';

/**
 * A customer's balance. The monolith keeps it on the customer (`customers.balance_cents`);
 * payments opens a wallet from `customer.registered` or `customer.snapshot` and applies the
 * monolith's `wallet.*` (apps/payments/src/consumed-events.ts), so it holds every customer. No
 * other process consumes customer events.
 */
export const WALLETS: AggregateKind = {
  name: 'wallets',
  aggregateType: 'customer',
  fields: [integer('balanceCents')],
  events: { creates: ['customer.registered', 'customer.snapshot'], changes: ['wallet.credited', 'wallet.debited'] },
  sides: [
    { process: 'legacy-monolith', sql: 'SELECT id AS id, balance_cents AS "balanceCents" FROM customers' },
    { process: 'payments', sql: 'SELECT customer_id AS id, balance_cents AS "balanceCents" FROM wallets' },
  ],
};
