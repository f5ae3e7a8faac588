import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import { createPostgresDatabase } from '../../tools/testing/test-databases';

/** Where a stack test's processes keep their data: a PostgreSQL database each, or a SQLite file each. */
export type StackDatabaseKind = 'postgres' | 'sqlite';

/** One process's database: its `DATABASE_URL`, how the test reads it directly, and how it goes away. */
interface StackDatabase {
  readonly url: string;
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Closes the test's connection (if any) and deletes the database. */
  drop(): Promise<void>;
}

async function postgresDatabase(): Promise<StackDatabase> {
  const database = await createPostgresDatabase();
  let pool: Pool | undefined;
  return {
    url: database.url,
    query: async (sql) => {
      if (!pool) {
        // One connection per database, kept; one the drop closes must not fail the test run.
        pool = new Pool({ connectionString: database.url, max: 1 });
        pool.on('error', () => undefined);
      }
      return (await pool.query(sql)).rows as Record<string, unknown>[];
    },
    drop: async () => {
      await pool?.end().catch(() => undefined);
      await database.drop();
    },
  };
}

/** A SQLite file in the stack's data folder, which the process creates (read-only here, opened per query). */
function sqliteDatabase(file: string): StackDatabase {
  return {
    url: `sqlite:${file}`,
    query: async (sql) => {
      const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5_000 });
      try {
        return db.prepare(sql).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    drop: async () => {
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
    },
  };
}

/**
 * A fresh database for each process of a stack test: on PostgreSQL one named for this run
 * ({@link create}), on SQLite a file of its own in the stack's data folder ({@link sqlite}).
 * Created together before the processes start, read directly by the test, dropped together once
 * the processes have stopped.
 */
export class StackDatabases<Name extends string> {
  private constructor(
    readonly kind: StackDatabaseKind,
    private readonly databases: ReadonlyMap<Name, StackDatabase>,
  ) {}

  /** A PostgreSQL database each, named for this run. */
  static async create<Name extends string>(names: readonly Name[]): Promise<StackDatabases<Name>> {
    const created = await Promise.allSettled(names.map(() => postgresDatabase()));
    const made = created.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const failure = created.find((outcome) => outcome.status === 'rejected');
    if (failure) {
      await Promise.allSettled(made.map((database) => database.drop()));
      throw failure.reason;
    }
    return new StackDatabases('postgres', new Map(names.map((name, i) => [name, made[i]!])));
  }

  /** A SQLite file each, `<dir>/<name>.sqlite` (as the launcher names its own). */
  static sqlite<Name extends string>(dir: string, names: readonly Name[]): StackDatabases<Name> {
    return new StackDatabases(
      'sqlite',
      new Map(names.map((name) => [name, sqliteDatabase(join(dir, `${name}.sqlite`))])),
    );
  }

  /** The `DATABASE_URL` of a process. */
  url(name: Name): string {
    return this.database(name).url;
  }

  /** The `DATABASE_URL` of each of `names`, by name. */
  urls<Some extends Name>(names: readonly Some[]): Record<Some, string> {
    return Object.fromEntries(names.map((name) => [name, this.url(name)])) as Record<Some, string>;
  }

  /** The rows a query finds in a process's database, read directly. */
  query(name: Name, sql: string): Promise<Record<string, unknown>[]> {
    return this.database(name).query(sql);
  }

  /** One line per database whose outbox (`libs/outbox`) holds events not yet published to Redis. */
  async unpublishedOutboxEvents(names: readonly Name[]): Promise<string[]> {
    const counts = await Promise.all(
      names.map(async (name) => {
        const [row] = await this.query(name, 'SELECT COUNT(*) AS count FROM outbox_events WHERE published_at IS NULL');
        return [name, Number(row?.count)] as const;
      }),
    );
    return counts.filter(([, count]) => count > 0).map(([name, count]) => `${name}: ${count} unpublished`);
  }

  /** Closes the test's connections and drops every database; call once the processes have stopped. */
  async drop(): Promise<void> {
    await Promise.allSettled([...this.databases.values()].map((database) => database.drop()));
  }

  private database(name: Name): StackDatabase {
    const database = this.databases.get(name);
    if (!database) throw new Error(`No database for ${name}`);
    return database;
  }
}
