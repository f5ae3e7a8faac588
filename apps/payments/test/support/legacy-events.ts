import { randomUUID } from 'node:crypto';
import { eventByPattern } from '@app/contracts';

/** An event to append to `<prefix>evt:<pattern>`. */
export interface PublishedEvent {
  readonly pattern: string;
  readonly data: Record<string, unknown>;
}

// A day back, so the monolith's events come before anything payments does itself in a test run.
let clock = Date.now() - 86_400_000;
/** A strictly increasing event time, so ledgers sort in the order the events happened. */
export const nextTimestamp = (): string => new Date((clock += 1_000)).toISOString();

/** Checks `data` against its contract, so a test never seeds what no service could publish. */
function checked(pattern: string, data: Record<string, unknown>): PublishedEvent {
  const definition = eventByPattern(pattern);
  if (!definition) throw new Error(`No contract for ${pattern}`);
  const result = definition.schema.safeParse(data);
  if (!result.success) throw new Error(`${pattern} breaks its contract: ${result.error.message}`);
  return { pattern, data };
}

/**
 * A customer of the monolith, and the events it publishes about them with the numbering
 * its outbox gives them (1 for `customer.registered`, then 2, 3, … for wallet changes), and
 * the balance after each change.
 */
export class LegacyCustomer {
  readonly id = randomUUID();
  readonly createdAt = nextTimestamp();
  /** The last sequence number taken. */
  sequence = 0;
  balanceCents = 0;

  constructor(readonly origin = 'legacy-monolith') {}

  private next(pattern: string, body: Record<string, unknown>): PublishedEvent {
    this.sequence += 1;
    return checked(pattern, {
      id: randomUUID(),
      schemaVersion: 1,
      occurredAt: nextTimestamp(),
      origin: this.origin,
      aggregateId: this.id,
      sequence: this.sequence,
      customerId: this.id,
      ...body,
    });
  }

  registered(): PublishedEvent {
    return this.next('customer.registered', {
      name: 'Ada Lovelace',
      email: `ada-${this.id}@example.com`,
      balanceCents: 0,
      createdAt: this.createdAt,
    });
  }

  deposited(amountCents: number): PublishedEvent {
    this.balanceCents += amountCents;
    return this.next('wallet.credited', {
      amountCents,
      balanceCents: this.balanceCents,
      reason: 'deposit',
      orderId: null,
    });
  }

  refunded(amountCents: number, orderId: string): PublishedEvent {
    this.balanceCents += amountCents;
    return this.next('wallet.credited', { amountCents, balanceCents: this.balanceCents, reason: 'refund', orderId });
  }

  /** A debit for an order; `balanceCents` says what the publisher claims is left (default: what it tracks). */
  debited(amountCents: number, orderId = randomUUID(), balanceCents?: number): PublishedEvent {
    this.balanceCents = balanceCents ?? this.balanceCents - amountCents;
    return this.next('wallet.debited', {
      amountCents,
      balanceCents: this.balanceCents,
      reason: 'order',
      orderId,
    });
  }

  /** A backfill snapshot of the current state, reflecting `sequences` (default: every event of this origin so far). */
  snapshot(sequences: Record<string, number> = { [this.origin]: this.sequence }, balanceCents = this.balanceCents) {
    return checked('customer.snapshot', {
      id: randomUUID(),
      schemaVersion: 1,
      occurredAt: nextTimestamp(),
      origin: this.origin,
      aggregateId: this.id,
      sequences,
      customerId: this.id,
      name: 'Ada Lovelace',
      email: `ada-${this.id}@example.com`,
      balanceCents,
      createdAt: this.createdAt,
    });
  }
}
