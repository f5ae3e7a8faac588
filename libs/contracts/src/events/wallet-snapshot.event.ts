import { defineSnapshot, type EventData } from '../define-event';
import { Cents, Uuid } from '../primitives';
import { checkSameIdAsAggregate } from '../refinements';

/** The balance of a customer's wallet as payments holds it: its answer to a gap past its outbox's retention. */
export const WalletSnapshot = defineSnapshot({
  pattern: 'wallet.snapshot',
  schemaVersion: 1,
  aggregateType: 'customer',
  description:
    "The balance of a customer's wallet as payments holds it, recorded when a consumer asks for wallet events that " +
    "payments' outbox no longer holds. `sequences` says, per origin, the last sequence of its events of this " +
    'customer that the balance reflects; a consumer applies it only when that covers everything it has applied.',
  publishers: ['payments'],
  consumers: ['legacy-monolith'],
  payload: {
    customerId: Uuid,
    balanceCents: Cents,
  },
  refine: (data, ctx) => checkSameIdAsAggregate(data, 'customerId', ctx),
  example: {
    id: '7e3f1a2b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
    schemaVersion: 1,
    occurredAt: '2026-12-07T06:00:00.000Z',
    origin: 'payments',
    aggregateId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
    sequences: { 'legacy-monolith': 3, payments: 12 },
    customerId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
    balanceCents: 4_100,
  },
});

export type WalletSnapshotData = EventData<typeof WalletSnapshot>;
