import type { EntityManager } from 'typeorm';
import { execute, select, type Row } from '../sql';

/** An event kept by a consumer until its predecessor has been applied. */
export interface ParkedMessage {
  readonly consumer: string;
  readonly messageId: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly origin: string;
  readonly sequence: number;
  readonly pattern: string;
  readonly data: unknown;
  readonly parkedAt: Date;
}

/** A consumer's hole in an aggregate's events from one origin: it applied `applied` and holds later ones. */
export interface OpenGap {
  readonly consumer: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly origin: string;
  /** The last sequence applied (0 if none): the origin is asked for `applied + 1` onwards. */
  readonly applied: number;
  /** The lowest sequence parked. */
  readonly firstParked: number;
  readonly parkedAt: Date;
}

const toParked = (row: Row): ParkedMessage => ({
  consumer: String(row.consumer),
  messageId: String(row.message_id),
  aggregateType: String(row.aggregate_type),
  aggregateId: String(row.aggregate_id),
  origin: String(row.origin),
  sequence: Number(row.sequence),
  pattern: String(row.pattern),
  data: JSON.parse(String(row.data)) as unknown,
  parkedAt: new Date(String(row.parked_at)),
});

/** Keeps the message; a second delivery of it changes nothing. */
export async function parkMessage(
  manager: EntityManager,
  message: Omit<ParkedMessage, 'parkedAt'>,
  now: Date,
): Promise<void> {
  await execute(
    manager,
    `INSERT INTO inbox_parked
       (consumer, message_id, aggregate_type, aggregate_id, origin, sequence, pattern, data, parked_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (consumer, message_id) DO NOTHING`,
    [
      message.consumer,
      message.messageId,
      message.aggregateType,
      message.aggregateId,
      message.origin,
      message.sequence,
      message.pattern,
      JSON.stringify(message.data),
      now.toISOString(),
    ],
  );
}

/** Removes and returns the parked messages of an aggregate and origin up to `sequence`, lowest first. */
export async function takeParkedUpTo(
  manager: EntityManager,
  key: { consumer: string; aggregateType: string; aggregateId: string; origin: string },
  sequence: number,
): Promise<ParkedMessage[]> {
  const { rows } = await execute(
    manager,
    `DELETE FROM inbox_parked
     WHERE consumer = ? AND aggregate_type = ? AND aggregate_id = ? AND origin = ? AND sequence <= ?
     RETURNING consumer, message_id, aggregate_type, aggregate_id, origin, sequence, pattern, data, parked_at`,
    [key.consumer, key.aggregateType, key.aggregateId, key.origin, sequence],
  );
  return rows.map(toParked).sort((a, b) => a.sequence - b.sequence);
}

/** Whether anything of the aggregate and origin is parked (a cheap check on the path of every event). */
export async function hasParked(
  manager: EntityManager,
  key: { consumer: string; aggregateType: string; aggregateId: string; origin: string },
): Promise<boolean> {
  const rows = await select(
    manager,
    `SELECT 1 AS found FROM inbox_parked
     WHERE consumer = ? AND aggregate_type = ? AND aggregate_id = ? AND origin = ? LIMIT 1`,
    [key.consumer, key.aggregateType, key.aggregateId, key.origin],
  );
  return rows.length > 0;
}

/**
 * The consumer's parked messages that can be applied or dropped now: the next one of their
 * aggregate and origin (a snapshot or another instance may have moved the applied sequence),
 * or ones already covered. At most `limit`, oldest first.
 */
export async function readyParked(manager: EntityManager, consumer: string, limit: number): Promise<ParkedMessage[]> {
  const rows = await select(
    manager,
    `SELECT p.consumer, p.message_id, p.aggregate_type, p.aggregate_id, p.origin, p.sequence, p.pattern, p.data, p.parked_at
     FROM inbox_parked p
     JOIN inbox_sequences s ON s.consumer = p.consumer AND s.aggregate_type = p.aggregate_type
       AND s.aggregate_id = p.aggregate_id AND s.origin = p.origin
     WHERE p.consumer = ? AND p.sequence <= s.last_sequence + 1
     ORDER BY p.parked_at LIMIT ?`,
    [consumer, limit],
  );
  return rows.map(toParked);
}

/**
 * Gaps parked since before `parkedBefore` whose repair was not asked for since
 * `requestedBefore`, oldest first; they are marked as asked for at `now`.
 */
export async function claimDueGaps(
  manager: EntityManager,
  consumer: string,
  times: { parkedBefore: Date; requestedBefore: Date; now: Date },
  limit: number,
): Promise<OpenGap[]> {
  const rows = await select(
    manager,
    `SELECT p.aggregate_type, p.aggregate_id, p.origin, MIN(p.sequence) AS first_parked, MIN(p.parked_at) AS parked_at,
       MAX(p.repair_requested_at) AS requested_at, COALESCE(MAX(s.last_sequence), 0) AS applied
     FROM inbox_parked p
     LEFT JOIN inbox_sequences s ON s.consumer = p.consumer AND s.aggregate_type = p.aggregate_type
       AND s.aggregate_id = p.aggregate_id AND s.origin = p.origin
     WHERE p.consumer = ?
     GROUP BY p.aggregate_type, p.aggregate_id, p.origin
     HAVING MIN(p.parked_at) < ? AND (MAX(p.repair_requested_at) IS NULL OR MAX(p.repair_requested_at) < ?)
     ORDER BY MIN(p.parked_at) LIMIT ?`,
    [consumer, times.parkedBefore.toISOString(), times.requestedBefore.toISOString(), limit],
  );
  const gaps = rows.map((row): OpenGap => ({
    consumer,
    aggregateType: String(row.aggregate_type),
    aggregateId: String(row.aggregate_id),
    origin: String(row.origin),
    applied: Number(row.applied),
    firstParked: Number(row.first_parked),
    parkedAt: new Date(String(row.parked_at)),
  }));
  for (const gap of gaps) {
    await execute(
      manager,
      `UPDATE inbox_parked SET repair_requested_at = ?
       WHERE consumer = ? AND aggregate_type = ? AND aggregate_id = ? AND origin = ?`,
      [times.now.toISOString(), consumer, gap.aggregateType, gap.aggregateId, gap.origin],
    );
  }
  return gaps;
}

/** How many messages are parked and since when the oldest is (null when none), over every consumer of the database. */
export async function parkedSummary(manager: EntityManager): Promise<{ parked: number; oldest: Date | null }> {
  const [row] = await select(manager, 'SELECT COUNT(*) AS parked, MIN(parked_at) AS oldest FROM inbox_parked');
  return { parked: Number(row?.parked ?? 0), oldest: row?.oldest ? new Date(String(row.oldest)) : null };
}
