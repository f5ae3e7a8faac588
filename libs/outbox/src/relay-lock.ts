import type { EntityManager } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import { execute, isPostgres, select } from './sql';

const LOCK_NAME = 'relay';

function isBusy(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Takes the relay lock for the rest of the transaction, or answers false at once when another
 * relay holds it. PostgreSQL: the lock row `FOR UPDATE SKIP LOCKED`. SQLite: a write to the lock
 * row takes the database's write lock; with the busy timeout off for that statement, so that a
 * relay never blocks the thread waiting for another connection.
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
  const [setting] = await select(manager, 'PRAGMA busy_timeout');
  const busyTimeout = Number(setting?.timeout ?? 0);
  await select(manager, 'PRAGMA busy_timeout = 0');
  try {
    const { affected } = await execute(
      manager,
      'UPDATE outbox_relay_lock SET holder = ?, locked_at = ? WHERE name = ?',
      [holder, now.toISOString(), LOCK_NAME],
    );
    if (affected === 1) return true;
    await restoreLockRow(manager);
    return true;
  } catch (error) {
    if (isBusy(error)) return false;
    throw error;
  } finally {
    await select(manager, `PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeout))}`);
  }
}

/** The migration made the lock row; should it be gone, the next pass has it again. */
async function restoreLockRow(manager: EntityManager): Promise<void> {
  await execute(manager, 'INSERT INTO outbox_relay_lock (name) VALUES (?) ON CONFLICT (name) DO NOTHING', [LOCK_NAME]);
}
