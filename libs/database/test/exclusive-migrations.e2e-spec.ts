import { Client } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { parseDatabaseUrl, runMigrationsExclusively, toDataSourceOptions } from '@app/database';
import { type TestDatabase, createPostgresDatabase } from '../../../tools/testing/test-databases';
import { eventually } from '../../../tools/testing/test-streams';

/** What the test sees of the migration: each start of its `up`, and a way to let the first one end. */
const seen = { starts: 0, release: (): void => undefined };

class CreateNotes1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    seen.starts += 1;
    await runner.query('CREATE TABLE notes (id integer PRIMARY KEY)');
    // The first run holds here, inside its transaction, until the test lets it go.
    if (seen.starts === 1) await new Promise<void>((resolve) => (seen.release = resolve));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE notes');
  }
}

// Two instances of a service starting together on one empty database: the second waits for the
// first's migrations instead of running them too (and failing on a table that exists).
describe('migrations of processes starting together on one PostgreSQL database', () => {
  let database: TestDatabase;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
  });

  afterAll(async () => {
    await Promise.all(sources.map((source) => source.destroy()));
    await database?.drop();
  });

  async function open(): Promise<DataSource> {
    // A pool of one: the lock and the migrations share the connection, so it cannot wait on itself.
    const config = parseDatabaseUrl(database.url, 1, 1_000);
    const source = new DataSource({
      ...toDataSourceOptions(config, { entities: [], migrations: [CreateNotes1700000000000] }),
      migrationsRun: false,
    });
    sources.push(await source.initialize());
    return source;
  }

  /** Advisory locks other sessions wait for. */
  async function waitingForAdvisoryLock(): Promise<number> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
      );
      return Number(rows[0]?.n);
    } finally {
      await client.end();
    }
  }

  it('runs each migration once: the second waits for the lock, then finds nothing left to run', async () => {
    const [first, second] = [await open(), await open()];
    const firstRun = runMigrationsExclusively(first);
    await eventually(
      async () => seen.starts,
      (starts) => starts === 1,
    );

    const secondRun = runMigrationsExclusively(second);
    // The second is either waiting for the first (the lock) or running the migration a second time.
    await eventually(
      async () => (await waitingForAdvisoryLock()) + (seen.starts - 1),
      (signs) => signs > 0,
    );
    expect(seen.starts).toBe(1);
    seen.release();
    await Promise.all([firstRun, secondRun]);

    expect(seen.starts).toBe(1);
    const ran = await second.query('SELECT name FROM migrations');
    expect(ran).toEqual([{ name: 'CreateNotes1700000000000' }]);
    expect(await second.query('SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 0 }]);
  }, 30_000);
});
