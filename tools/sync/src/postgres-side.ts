import { Client } from 'pg';
import type { Query, Row, SideDatabase } from './side-database';
import { type SideLocation, withoutPassword } from './side-locations';
import { SyncError } from './sync-errors';

/** How long connecting to a process's PostgreSQL may take before the check gives up on it. */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;
/** How long one query may run. */
export const POSTGRES_STATEMENT_TIMEOUT_MS = 30_000;

type PostgresLocation = Extract<SideLocation, { kind: 'postgres' }>;

/** PostgreSQL errors of a schema the check cannot read: a table or a column that is not there. */
const SCHEMA_ERRORS = new Set(['42P01', '42703']);

/**
 * A process's PostgreSQL database, on one connection of its own; every read is a
 * `REPEATABLE READ READ ONLY` transaction, so it sees one snapshot and writes nothing.
 */
export async function openPostgresSide(location: PostgresLocation): Promise<SideDatabase> {
  const { process, source } = location;
  const shown = withoutPassword(location.url);
  const client = new Client({
    connectionString: location.url,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    statement_timeout: POSTGRES_STATEMENT_TIMEOUT_MS,
    application_name: 'sync-verify',
  });
  // A connection that breaks later fails the query that uses it; the event alone must not crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new SyncError(
      'SYNC_DATABASE_UNREACHABLE',
      `${process}: database ${shown} (${source}) could not be reached: ${reason(error)}`,
    );
  }
  const query: Query = async (sql, parameters = []) => {
    let n = 0;
    try {
      const result = await client.query(
        sql.replace(/\?/g, () => `$${++n}`),
        [...parameters],
      );
      return result.rows as Row[];
    } catch (error) {
      throw postgresError(location, shown, error);
    }
  };
  return {
    process,
    shown,
    async read(work) {
      await query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        return await work(query);
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
      }
    },
    close: () => client.end().catch(() => undefined),
  };
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(reason).join('; ');
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return message || (typeof code === 'string' ? code : 'unknown error');
}

function postgresError({ process, variable }: PostgresLocation, shown: string, error: unknown): SyncError {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SCHEMA_ERRORS.has(code)) {
    return new SyncError(
      'SYNC_SCHEMA_MISSING',
      `${process}: database ${shown} lacks what the check reads (${reason(error)}): start ${process} once so ` +
        `that its migrations run, or point ${variable} at its own database.`,
    );
  }
  if (code === '57P01' || code === 'ECONNRESET' || /Connection terminated/i.test(reason(error))) {
    return new SyncError('SYNC_DATABASE_UNREACHABLE', `${process}: database ${shown} went away: ${reason(error)}`);
  }
  return new SyncError('SYNC_READ_FAILED', `${process}: reading database ${shown} failed: ${reason(error)}`);
}
