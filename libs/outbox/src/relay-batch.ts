import type { EntityManager } from 'typeorm';
import type { Envelope, EnvelopeMeta } from '@app/redis-streams';
import { tryLockRelay } from './relay-lock';
import { execute, isPostgres, list, select } from './sql';

/** How a batch went: nothing to do, another relay held the lock, published, or Redis failed. */
export type BatchResult =
  | { readonly kind: 'busy' }
  | {
      readonly kind: 'published';
      readonly count: number;
      readonly createdAt: readonly Date[];
      readonly highestSeq: number;
    }
  | { readonly kind: 'failed'; readonly count: number; readonly error: unknown };

export interface BatchDeps {
  readonly holder: string;
  readonly batchSize: number;
  /** Runs in the batch's transaction before anything is published; a failure fails the batch. */
  readonly beforePublish?: (manager: EntityManager) => Promise<void>;
  /** Publishes the envelopes (`highestSeq`: the batch's highest outbox seq); resolves once Redis stored all of them. */
  readonly publish: (envelopes: readonly Envelope[], highestSeq: number) => Promise<unknown>;
}

const MAX_ERROR_LENGTH = 1_000;

/**
 * One relay batch, inside one transaction: takes the relay lock (or gives up at once), reads
 * the oldest unpublished rows in insertion order, publishes them, and marks them published.
 * When Redis fails the rows stay unpublished, with the attempt and the error recorded.
 */
export async function publishBatch(manager: EntityManager, deps: BatchDeps): Promise<BatchResult> {
  if (!(await tryLockRelay(manager, deps.holder, new Date()))) return { kind: 'busy' };
  // Marking rows published leaves dead entries in the partial index until a vacuum. A bitmap scan
  // visits every one of them on each pass; an index scan learns to skip them (measured: 6.5 ms
  // against 0.05 ms with 40k dead rows), so the planner is told not to pick the bitmap scan.
  if (isPostgres(manager)) await manager.query('SET LOCAL enable_bitmapscan = off');
  const rows = await select(
    manager,
    `SELECT seq, id, pattern, data, meta, created_at FROM outbox_events
     WHERE published_at IS NULL ORDER BY seq LIMIT ?`,
    [deps.batchSize],
  );
  const seqs = rows.map((row) => Number(row.seq));
  const envelopes: Envelope[] = rows.map((row) => ({
    id: String(row.id),
    pattern: String(row.pattern),
    data: JSON.parse(String(row.data)) as unknown,
    meta: JSON.parse(String(row.meta)) as EnvelopeMeta,
  }));
  try {
    await deps.beforePublish?.(manager);
    if (rows.length === 0) return { kind: 'published', count: 0, createdAt: [], highestSeq: 0 };
    await deps.publish(envelopes, Math.max(...seqs));
  } catch (error) {
    if (rows.length === 0) return { kind: 'failed', count: 0, error };
    const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
    await execute(
      manager,
      `UPDATE outbox_events SET attempts = attempts + 1, last_error = ? WHERE seq IN (${list(seqs.length)})`,
      [message, ...seqs],
    );
    return { kind: 'failed', count: rows.length, error };
  }
  // By the rows read, never by a range: a row committed meanwhile inside the range was not published.
  await execute(
    manager,
    `UPDATE outbox_events SET published_at = ?, attempts = attempts + 1, last_error = NULL
     WHERE seq IN (${list(seqs.length)})`,
    [new Date().toISOString(), ...seqs],
  );
  return {
    kind: 'published',
    count: rows.length,
    createdAt: rows.map((row) => new Date(String(row.created_at))),
    highestSeq: Math.max(...seqs),
  };
}
