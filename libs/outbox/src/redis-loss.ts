import type { EntityManager } from 'typeorm';
import { execute, select } from './sql';

/** The name of an origin's high-water mark in Redis: the highest outbox `seq` stored with a batch. */
export const markName = (origin: string): string => `outbox:${origin}`;

/** The highest `seq` this database's outbox has marked published (0 when none is kept). */
export async function highestPublished(manager: EntityManager): Promise<number> {
  const [row] = await select(manager, 'SELECT MAX(seq) AS highest FROM outbox_events WHERE published_at IS NOT NULL');
  return row?.highest === null || row?.highest === undefined ? 0 : Number(row.highest);
}

/**
 * Whether Redis lost events this outbox published: it holds no mark, or a lower one, than the
 * highest `seq` published. What to send again is every published row above the mark.
 */
export function lostAbove(mark: number | null, highest: number): number | null {
  if (highest === 0) return null;
  if (mark === null) return 0;
  return mark < highest ? mark : null;
}

/** Marks the published rows above `seq` unpublished, so the relay publishes them again; returns how many. */
export async function republishAbove(manager: EntityManager, seq: number): Promise<number> {
  const { affected } = await execute(
    manager,
    'UPDATE outbox_events SET published_at = NULL WHERE published_at IS NOT NULL AND seq > ?',
    [seq],
  );
  return affected;
}
