import { randomUUID } from 'node:crypto';

/**
 * `wallet.credited` as payments publishes it for a deposit it took: its `sequence`-th event of the
 * customer, with the balance payments holds after it.
 */
export function paymentsDeposit(
  customerId: string,
  sequence: number,
  amountCents: number,
  balanceCents: number,
): Record<string, unknown> {
  return {
    id: randomUUID(),
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    origin: 'payments',
    aggregateId: customerId,
    sequence,
    customerId,
    amountCents,
    balanceCents,
    reason: 'deposit',
    orderId: null,
  };
}
