import { QueryFailedError } from 'typeorm';

function driverCode(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A unique index refused the write (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY). */
export function isUniqueViolation(error: unknown): boolean {
  const code = driverCode(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** PostgreSQL gave up the transaction to resolve a conflict (deadlock, serialization); it may be retried. */
export function isTransientConflict(error: unknown): boolean {
  const code = driverCode(error);
  return code === '40P01' || code === '40001';
}

/** SQLite gave up waiting for a lock another connection holds (`SQLITE_BUSY` and its extended codes). */
export function isDatabaseBusy(error: unknown): boolean {
  return driverCode(error)?.startsWith('SQLITE_BUSY') === true;
}
