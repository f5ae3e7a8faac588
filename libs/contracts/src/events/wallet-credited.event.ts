import { z } from 'zod';
import { defineEvent, type EventData } from '../define-event';
import { Cents, Uuid } from '../primitives';
import { checkSameIdAsAggregate, report } from '../refinements';

/** Money was added to a customer's wallet: a deposit, or the refund of a cancelled order. */
export const WalletCredited = defineEvent({
  pattern: 'wallet.credited',
  schemaVersion: 1,
  aggregateType: 'customer',
  description:
    "Money was added to a customer's wallet: `amountCents` is the credit, `balanceCents` the balance after it. " +
    '`reason` is `deposit` (then `orderId` is null) or `refund` of a cancelled order (then `orderId` names it).',
  publishers: ['legacy-monolith', 'payments'],
  consumers: ['legacy-monolith', 'payments'],
  payload: {
    customerId: Uuid,
    amountCents: z.int().min(1),
    balanceCents: Cents,
    reason: z.enum(['deposit', 'refund']),
    orderId: Uuid.nullable(),
  },
  refine: (data, ctx) => {
    checkSameIdAsAggregate(data, 'customerId', ctx);
    if (data.reason === 'refund' && data.orderId === null) report(ctx, ['orderId'], 'must name the order of a refund');
    if (data.reason === 'deposit' && data.orderId !== null) report(ctx, ['orderId'], 'must be null for a deposit');
  },
  example: {
    id: '5c0e8a4d-9b1f-4f3e-a2d6-7e8b9c0d1e2f',
    schemaVersion: 1,
    occurredAt: '2026-11-22T04:05:00.000Z',
    origin: 'legacy-monolith',
    aggregateId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
    sequence: 2,
    customerId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
    amountCents: 5_000,
    balanceCents: 5_000,
    reason: 'deposit',
    orderId: null,
  },
});

export type WalletCreditedData = EventData<typeof WalletCredited>;
