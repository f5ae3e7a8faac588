import { defineEvent, type EventData } from '../define-event';
import { Cents, CustomerName, IsoTimestamp, LowerCaseEmail, Uuid } from '../primitives';
import { checkSameIdAsAggregate } from '../refinements';

/** A customer account was opened. */
export const CustomerRegistered = defineEvent({
  pattern: 'customer.registered',
  schemaVersion: 1,
  aggregateType: 'customer',
  description:
    'A customer account was opened, with its starting wallet balance. Carries no password or role: ' +
    'credentials stay with the service that issues tokens.',
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
    id: '7d1b3f0e-52a4-4c9e-8b1a-3e6f2d9c4a10',
    schemaVersion: 1,
    occurredAt: '2026-11-22T04:00:00.000Z',
    origin: 'legacy-monolith',
    aggregateId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
    sequence: 1,
    customerId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    balanceCents: 0,
    createdAt: '2026-11-22T04:00:00.000Z',
  },
});

export type CustomerRegisteredData = EventData<typeof CustomerRegistered>;
