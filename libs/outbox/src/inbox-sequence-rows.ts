import type { EntityManager } from 'typeorm';
import { execute, isPostgres, select } from './sql';

/*
 * Sequence rows are created and locked in one statement: INSERT … ON CONFLICT DO UPDATE takes
 * the row lock on PostgreSQL (a concurrent first insert waits for the other to commit), and on
 * SQLite every write holds the database's write lock. So numbering and checking are race-free.
 */

export interface InboxSequenceKey {
  readonly consumer: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly origin: string;
}

/** The consumer's last applied sequence of an aggregate from `origin` (0 if none), locked until the transaction ends. */
export async function lockInboxSequence(manager: EntityManager, key: InboxSequenceKey, now: Date): Promise<number> {
  const { rows } = await execute(
    manager,
    `INSERT INTO inbox_sequences (consumer, aggregate_type, aggregate_id, origin, last_sequence, updated_at)
     VALUES (?, ?, ?, ?, 0, ?)
     ON CONFLICT (consumer, aggregate_type, aggregate_id, origin) DO UPDATE SET last_sequence = inbox_sequences.last_sequence
     RETURNING last_sequence`,
    [key.consumer, key.aggregateType, key.aggregateId, key.origin, now.toISOString()],
  );
  return Number(rows[0]?.last_sequence);
}

/** The consumer's last applied sequence of an aggregate from `origin`, without locking; null when there is no row. */
export async function readInboxSequence(manager: EntityManager, key: InboxSequenceKey): Promise<number | null> {
  const rows = await select(
    manager,
    `SELECT last_sequence FROM inbox_sequences
     WHERE consumer = ? AND aggregate_type = ? AND aggregate_id = ? AND origin = ?`,
    [key.consumer, key.aggregateType, key.aggregateId, key.origin],
  );
  return rows.length > 0 ? Number(rows[0]?.last_sequence) : null;
}

/** A row of `inbox_sequences`: the consumer's last applied sequence of an aggregate from an origin. */
export interface InboxSequenceRow extends InboxSequenceKey {
  readonly lastSequence: number;
}

/**
 * The rows of `keys` that exist, in one query without locking (a key without a row was never
 * applied). At most a few hundred keys: three parameters each.
 */
export async function readInboxSequencesOf(
  manager: EntityManager,
  keys: readonly InboxSequenceKey[],
): Promise<InboxSequenceRow[]> {
  if (keys.length === 0) return [];
  const rows = await select(
    manager,
    `SELECT consumer, aggregate_type, aggregate_id, origin, last_sequence FROM inbox_sequences WHERE ${keys
      .map(() => '(consumer = ? AND aggregate_type = ? AND aggregate_id = ? AND origin = ?)')
      .join(' OR ')}`,
    keys.flatMap((key) => [key.consumer, key.aggregateType, key.aggregateId, key.origin]),
  );
  return rows.map((row) => ({
    consumer: String(row.consumer),
    aggregateType: String(row.aggregate_type),
    aggregateId: String(row.aggregate_id),
    origin: String(row.origin),
    lastSequence: Number(row.last_sequence),
  }));
}

/** The origin of the row that stands for the whole aggregate (origins are never empty). */
const AGGREGATE_ROW = '';

/**
 * Locks the consumer's view of an aggregate as a whole: taken by snapshots, and by events
 * from an origin not seen before, whose row a snapshot could not otherwise wait for.
 */
export async function lockInboxAggregate(
  manager: EntityManager,
  consumer: string,
  aggregateType: string,
  aggregateId: string,
  now: Date,
): Promise<void> {
  await lockInboxSequence(manager, { consumer, aggregateType, aggregateId, origin: AGGREGATE_ROW }, now);
}

export async function setInboxSequence(
  manager: EntityManager,
  key: InboxSequenceKey,
  sequence: number,
  now: Date,
): Promise<void> {
  await execute(
    manager,
    `UPDATE inbox_sequences SET last_sequence = ?, updated_at = ?
     WHERE consumer = ? AND aggregate_type = ? AND aggregate_id = ? AND origin = ?`,
    [sequence, now.toISOString(), key.consumer, key.aggregateType, key.aggregateId, key.origin],
  );
}

/** The consumer's last applied sequence per origin for an aggregate (rows locked on PostgreSQL when `lock`). */
export async function inboxSequences(
  manager: EntityManager,
  consumer: string,
  aggregateType: string,
  aggregateId: string,
  lock: boolean,
): Promise<Record<string, number>> {
  const rows = await select(
    manager,
    `SELECT origin, last_sequence FROM inbox_sequences WHERE consumer = ? AND aggregate_type = ? AND aggregate_id = ?
     ORDER BY origin${lock && isPostgres(manager) ? ' FOR UPDATE' : ''}`,
    [consumer, aggregateType, aggregateId],
  );
  const sequences: Record<string, number> = {};
  for (const row of rows) {
    if (row.origin !== AGGREGATE_ROW) sequences[String(row.origin)] = Number(row.last_sequence);
  }
  return sequences;
}
