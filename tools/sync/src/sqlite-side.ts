import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Query, Row, SideDatabase } from './side-database';
import type { SideLocation } from './side-locations';
import { SyncError } from './sync-errors';

/** How long a read waits for a lock a running process holds (a checkpoint), before it fails. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

type SqliteLocation = Extract<SideLocation, { kind: 'sqlite' }>;

/**
 * A process's SQLite file, opened read-only: readers do not block the process's writes in WAL
 * mode, and one transaction gives a snapshot that no commit changes while it is read.
 */
export function openSqliteSide(location: SqliteLocation): SideDatabase {
  const { process, path, source } = location;
  if (path === ':memory:') {
    throw new SyncError(
      'SYNC_CONFIG_INVALID',
      `${process}: the database is sqlite::memory: (${source}), which only the process itself can see; ` +
        `point ${location.variable} at a file or a PostgreSQL database to compare it.`,
    );
  }
  if (!existsSync(path)) {
    throw new SyncError(
      'SYNC_DATABASE_MISSING',
      `${process}: database ${path} (${source}) does not exist: start the stack once (npm start), ` +
        `or set ${location.variable} (or STACK_DATA_DIR) to where it is.`,
    );
  }
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new SyncError(
      'SYNC_DATABASE_UNREACHABLE',
      `${process}: database ${path} could not be opened: ${reason(error)}`,
    );
  }
  const run = <T>(statement: () => T): T => {
    try {
      return statement();
    } catch (error) {
      throw sqliteError(location, error);
    }
  };
  const query: Query = async (sql, parameters = []) => run(() => db.prepare(sql).all(...parameters) as Row[]);
  return {
    process,
    shown: path,
    async read(work) {
      run(() => db.exec('BEGIN'));
      try {
        return await work(query);
      } finally {
        if (db.inTransaction) db.exec('ROLLBACK');
      }
    },
    close: async () => void db.close(),
  };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sqliteError({ process, path, variable }: SqliteLocation, error: unknown): SyncError {
  const code = (error as { code?: unknown }).code;
  const message = reason(error);
  if (/no such (table|column)/.test(message)) {
    return new SyncError(
      'SYNC_SCHEMA_MISSING',
      `${process}: database ${path} lacks what the check reads (${message}): start ${process} once so that ` +
        `its migrations run, or point ${variable} at its own database.`,
    );
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code === 'SQLITE_CANTOPEN') {
    return new SyncError('SYNC_DATABASE_UNREACHABLE', `${process}: database ${path} could not be read: ${message}`);
  }
  return new SyncError('SYNC_READ_FAILED', `${process}: reading database ${path} failed: ${message}`);
}
