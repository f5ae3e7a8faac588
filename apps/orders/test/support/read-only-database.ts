import Database from 'better-sqlite3';
import { Pool } from 'pg';

/** A row as the test reads it: bigint columns (strings on PostgreSQL) are left to the caller's `Number()`. */
export type Row = Record<string, unknown>;

/**
 * A process's database read directly by the test, read-only, while the process runs or after it
 * was killed: a SQLite file opened read-only per query (WAL lets the process write meanwhile), or
 * one PostgreSQL connection in read-only transactions. Queries use `?` placeholders on both.
 */
export class ReadOnlyDatabase {
  private pool: Pool | undefined;

  constructor(readonly url: string) {}

  async query(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    if (this.url.startsWith('sqlite:')) {
      const db = new Database(this.url.slice('sqlite:'.length), {
        readonly: true,
        fileMustExist: true,
        timeout: 5_000,
      });
      try {
        return db.prepare(sql).all(...params) as Row[];
      } finally {
        db.close();
      }
    }
    if (!this.pool) {
      this.pool = new Pool({ connectionString: this.url, max: 1 });
      // A connection the database's drop closes must not fail the run.
      this.pool.on('error', () => undefined);
    }
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN TRANSACTION READ ONLY');
      const { rows } = await client.query(text, [...params]);
      await client.query('COMMIT');
      return rows as Row[];
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool?.end().catch(() => undefined);
    this.pool = undefined;
  }
}
