import { Pool } from 'pg';
import { TestDatabase, createPostgresDatabase } from '../../tools/testing/test-databases';

/**
 * A fresh PostgreSQL database for each process of a stack test, named for this run: created
 * together before the processes start, read directly by the test, dropped together once the
 * processes have stopped.
 */
export class StackDatabases<Name extends string> {
  private readonly pools = new Map<Name, Pool>();

  private constructor(private readonly databases: ReadonlyMap<Name, TestDatabase>) {}

  static async create<Name extends string>(names: readonly Name[]): Promise<StackDatabases<Name>> {
    const created = await Promise.allSettled(names.map(() => createPostgresDatabase()));
    const made = created.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const failure = created.find((outcome) => outcome.status === 'rejected');
    if (failure) {
      await Promise.allSettled(made.map((database) => database.drop()));
      throw failure.reason;
    }
    return new StackDatabases(new Map(names.map((name, i) => [name, made[i]!])));
  }

  /** The `DATABASE_URL` of a process. */
  url(name: Name): string {
    const database = this.databases.get(name);
    if (!database) throw new Error(`No database for ${name}`);
    return database.url;
  }

  /** The `DATABASE_URL` of each of `names`, by name. */
  urls<Some extends Name>(names: readonly Some[]): Record<Some, string> {
    return Object.fromEntries(names.map((name) => [name, this.url(name)])) as Record<Some, string>;
  }

  /** The rows a query finds in a process's database, read directly (one connection per database, kept). */
  async query(name: Name, sql: string): Promise<Record<string, unknown>[]> {
    let pool = this.pools.get(name);
    if (!pool) {
      pool = new Pool({ connectionString: this.url(name), max: 1 });
      // A connection the drop closes must not fail the test run.
      pool.on('error', () => undefined);
      this.pools.set(name, pool);
    }
    return (await pool.query(sql)).rows as Record<string, unknown>[];
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
    await Promise.allSettled([...this.pools.values()].map((pool) => pool.end()));
    this.pools.clear();
    await Promise.allSettled([...this.databases.values()].map((database) => database.drop()));
  }
}
