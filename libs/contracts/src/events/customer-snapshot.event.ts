import { defineSnapshot, type EventData } from '../define-event';
import { Cents, CustomerName, IsoTimestamp, LowerCaseEmail, Uuid } from '../primitives';
import { checkSameIdAsAggregate } from '../refinements';

/** The whole state of a customer, published by a backfill. */
export const CustomerSnapshot = defineSnapshot({
  pattern: 'customer.snapshot',
  schemaVersion: 1,
  aggregateType: 'customer',
  description:
    'The whole state of a customer, published by a backfill so a new service can start from it. `sequences` says, per ' +
    'origin, the last sequence of its events of this customer that the state reflects (absent: none); events at ' +
    'or below it are already in the snapshot.',
  publishers: ['legacy-monolith'],
  consumers: ['payments', 'orders'],
  payload: {
    customerId: Uuid,
    name: CustomerName,
    email: LowerCaseEmail,
    balanceCents: Cents,
    createdAt: IsoTimestamp,
  },
  refine: (data, ctx) => checkSameIdAsAggregate(data, 'customerId', ctx),
  example: {
    id: '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
    schemaVersion: 1,
    occurredAt: '2026-11-23T00:00:00.000Z',
    origin: 'legacy-monolith',
    aggregateId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
    sequences: { 'legacy-monolith': 3 },
    customerId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    balanceCents: 2_600,
    createdAt: '2026-11-22T04:00:00.000Z',
  },
});

export type CustomerSnapshotData = EventData<typeof CustomerSnapshot>;
