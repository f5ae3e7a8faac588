import { z } from 'zod';
import { defineEvent, type EventData } from '../define-event';
import { Cents, Uuid } from '../primitives';
import { checkSameIdAsAggregate } from '../refinements';

/** Money was taken from a customer's wallet to pay an order. */
export const WalletDebited = defineEvent({
  pattern: 'wallet.debited',
  schemaVersion: 1,
  aggregateType: 'customer',
  description:
    "Money was taken from a customer's wallet to pay the order `orderId`: `amountCents` is the debit, " +
    '`balanceCents` the balance after it.',
  publishers: ['legacy-monolith', 'payments'],
  consumers: ['legacy-monolith', 'payments'],
  payload: {
    customerId: Uuid,
    amountCents: z.int().min(1),
    balanceCents: Cents,
    reason: z.literal('order'),
    orderId: Uuid,
  },
  refine: (data, ctx) => checkSameIdAsAggregate(data, 'customerId', ctx),
  example: {
    id: '9a7b6c5d-4e3f-4a1b-8c2d-0e1f2a3b4c5d',
    schemaVersion: 1,
    occurredAt: '2026-11-22T04:10:00.000Z',
    origin: 'legacy-monolith',
    aggregateId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
    sequence: 3,
    customerId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
    amountCents: 2_400,
    balanceCents: 2_600,
    reason: 'order',
    orderId: '3f2e1d0c-b9a8-4765-9432-10fedcba9876',
  },
});

export type WalletDebitedData = EventData<typeof WalletDebited>;
