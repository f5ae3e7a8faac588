import type { EntityManager } from 'typeorm';
import { execute, select } from '../sql';

/** Which of an aggregate's events from `fromSequence` on the outbox still holds: how many, and the lowest. */
export async function keptFrom(
  manager: EntityManager,
  aggregateType: string,
  aggregateId: string,
  fromSequence: number,
): Promise<{ count: number; lowest: number | null }> {
  const [row] = await select(
    manager,
    `SELECT COUNT(*) AS kept, MIN(sequence) AS lowest FROM outbox_events
     WHERE aggregate_type = ? AND aggregate_id = ? AND sequence >= ?`,
    [aggregateType, aggregateId, fromSequence],
  );
  return { count: Number(row?.kept ?? 0), lowest: row?.lowest === null ? null : Number(row?.lowest) };
}

/** Marks an aggregate's published events from `fromSequence` on unpublished, so the relay publishes them again. */
export async function republishAggregate(
  manager: EntityManager,
  aggregateType: string,
  aggregateId: string,
  fromSequence: number,
): Promise<number> {
  const { affected } = await execute(
    manager,
    `UPDATE outbox_events SET published_at = NULL
     WHERE aggregate_type = ? AND aggregate_id = ? AND sequence >= ? AND published_at IS NOT NULL`,
    [aggregateType, aggregateId, fromSequence],
  );
  return affected;
}
