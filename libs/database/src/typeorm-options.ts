import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions, MixedList } from 'typeorm';
import type { DatabaseConfig } from './database.config';
import { ImmediateTransactionsDatabase } from './immediate-transactions';

export interface SchemaOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function>;
}

/**
 * TypeORM options for a configured database. The schema comes from migrations, run at
 * start-up, never from `synchronize`. SQLite waits up to `busyTimeoutMs` for another
 * process's write lock (from the moment the file is opened), and its transactions take
 * the lock when they begin (see {@link ImmediateTransactionsDatabase}).
 */
export function toDataSourceOptions(config: DatabaseConfig, schema: SchemaOptions): DataSourceOptions {
  const common = {
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  if (config.kind === 'sqlite') {
    if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: config.path,
      driver: ImmediateTransactionsDatabase,
      timeout: config.busyTimeoutMs,
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('foreign_keys = ON');
        db.pragma('synchronous = NORMAL');
      },
    };
  }
  return { ...common, type: 'postgres', url: config.url, poolSize: config.poolSize };
}
