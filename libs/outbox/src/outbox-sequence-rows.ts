import type { EntityManager } from 'typeorm';
import { execute, select } from './sql';

/*
 * Sequence rows are created and locked in one statement: INSERT … ON CONFLICT DO UPDATE takes
 * the row lock on PostgreSQL (a concurrent first insert waits for the other to commit), and on
 * SQLite every write holds the database's write lock. So numbering and checking are race-free.
 */

/** Gives the next number of an aggregate's events for `origin`; the row stays locked until the transaction ends. */
export async function nextOutboxSequence(
  manager: EntityManager,
  origin: string,
  aggregateType: string,
  aggregateId: string,
): Promise<number> {
  const { rows } = await execute(
    manager,
    `INSERT INTO outbox_sequences (origin, aggregate_type, aggregate_id, last_sequence) VALUES (?, ?, ?, 1)
     ON CONFLICT (origin, aggregate_type, aggregate_id) DO UPDATE SET last_sequence = outbox_sequences.last_sequence + 1
     RETURNING last_sequence`,
    [origin, aggregateType, aggregateId],
  );
  return Number(rows[0]?.last_sequence);
}

/** Gives back a number taken by {@link nextOutboxSequence} in this transaction (its row is still locked). */
export async function releaseOutboxSequence(
  manager: EntityManager,
  origin: string,
  aggregateType: string,
  aggregateId: string,
): Promise<void> {
  await execute(
    manager,
    `UPDATE outbox_sequences SET last_sequence = last_sequence - 1
     WHERE origin = ? AND aggregate_type = ? AND aggregate_id = ?`,
    [origin, aggregateType, aggregateId],
  );
}

/** The last number given for `origin` (0 if none), locked until the transaction ends. */
export async function lockOutboxSequence(
  manager: EntityManager,
  origin: string,
  aggregateType: string,
  aggregateId: string,
): Promise<number> {
  const { rows } = await execute(
    manager,
    `INSERT INTO outbox_sequences (origin, aggregate_type, aggregate_id, last_sequence) VALUES (?, ?, ?, 0)
     ON CONFLICT (origin, aggregate_type, aggregate_id) DO UPDATE SET last_sequence = outbox_sequences.last_sequence
     RETURNING last_sequence`,
    [origin, aggregateType, aggregateId],
  );
  return Number(rows[0]?.last_sequence);
}

/** The last number given for `origin` (0 if none), without locking. */
export async function currentOutboxSequence(
  manager: EntityManager,
  origin: string,
  aggregateType: string,
  aggregateId: string,
): Promise<number> {
  const rows = await select(
    manager,
    'SELECT last_sequence FROM outbox_sequences WHERE origin = ? AND aggregate_type = ? AND aggregate_id = ?',
    [origin, aggregateType, aggregateId],
  );
  return rows.length > 0 ? Number(rows[0]?.last_sequence) : 0;
}
