import type { EntityManager } from 'typeorm';
import { execute, isPostgres } from './sql';

const LOCK_NAME = 'relay';

/**
 * Takes the relay lock for the rest of the transaction, or answers false at once when another
 * relay holds it. PostgreSQL: the lock row `FOR UPDATE SKIP LOCKED`. SQLite: the transaction
 * already holds the database's write lock, taken at its start without waiting (another relay's
 * transaction makes it fail with `DATABASE_BUSY` instead), and records the holder.
 */
export async function tryLockRelay(manager: EntityManager, holder: string, now: Date): Promise<boolean> {
  if (isPostgres(manager)) {
    const { rows } = await execute(
      manager,
      'SELECT name FROM outbox_relay_lock WHERE name = ? FOR UPDATE SKIP LOCKED',
      [LOCK_NAME],
    );
    if (rows.length === 1) return true;
    await restoreLockRow(manager);
    return false;
  }
  // The transaction began with SQLite's write lock (BEGIN IMMEDIATE, without waiting: the relay
  // runs it through UnitOfWork.transactionUnlessBusy), so no other relay is in one now.
  const { affected } = await execute(manager, 'UPDATE outbox_relay_lock SET holder = ?, locked_at = ? WHERE name = ?', [
    holder,
    now.toISOString(),
    LOCK_NAME,
  ]);
  if (affected !== 1) await restoreLockRow(manager);
  return true;
}

/** The migration made the lock row; should it be gone, the next pass has it again. */
async function restoreLockRow(manager: EntityManager): Promise<void> {
  await execute(manager, 'INSERT INTO outbox_relay_lock (name) VALUES (?) ON CONFLICT (name) DO NOTHING', [LOCK_NAME]);
}
