import { DataSource, type DataSourceOptions, MigrationExecutor } from 'typeorm';

/** The PostgreSQL advisory lock every process of one database takes to run its migrations ("FICU"). */
export const MIGRATIONS_LOCK_KEY = 0x46_49_43_55;

/**
 * Opens a data source and runs its pending migrations, one process at a time: several instances
 * of a service (replicas, pods starting together) may start on one empty database, and TypeORM
 * alone would let each read which migrations ran and run the same ones at once (the second fails
 * on a table that already exists). On PostgreSQL the migrations run under a session advisory lock;
 * on SQLite inside one transaction that takes the write lock before it reads which ran. Either
 * way a second process waits, then finds nothing left to run.
 */
export async function openMigrated(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource({ ...options, migrationsRun: false } as DataSourceOptions);
  await dataSource.initialize();
  try {
    await runMigrationsExclusively(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** Runs the pending migrations of an initialized data source, waiting for any other process running them. */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<void> {
  // One connection for the lock and the migrations: a pool of one must not wait on itself.
  const runner = dataSource.createQueryRunner();
  const executor = new MigrationExecutor(dataSource, runner);
  try {
    if (dataSource.options.type === 'postgres') {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATIONS_LOCK_KEY]);
      try {
        executor.transaction = 'each';
        await executor.executePendingMigrations();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATIONS_LOCK_KEY]);
      }
      return;
    }
    // SQLite: `BEGIN IMMEDIATE` (ImmediateTransactionsDatabase) holds the write lock from the start.
    await runner.startTransaction();
    try {
      executor.transaction = 'none';
      await executor.executePendingMigrations();
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  } finally {
    await runner.release();
  }
}
