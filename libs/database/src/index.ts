export { bigintAsNumber, isoTimestamp, TIMESTAMP_COLUMN } from './column-transformers';
export {
  DEFAULT_BUSY_TIMEOUT_MS,
  DEFAULT_POOL_SIZE,
  MAX_BUSY_TIMEOUT_MS,
  createDatabaseConfig,
  parseDatabaseUrl,
} from './database.config';
export type { DatabaseConfig } from './database.config';
export { DatabaseReadinessCheck } from './database-readiness.check';
export { DATABASE_CONFIG, DatabaseModule } from './database.module';
export type { DatabaseModuleOptions } from './database.module';
export { MIGRATIONS_LOCK_KEY, openMigrated, runMigrationsExclusively } from './exclusive-migrations';
export { isDatabaseBusy, isTransientConflict, isUniqueViolation } from './db-errors';
export { DATABASE_ERRORS, DatabaseError } from './errors';
export type { DatabaseErrorCode } from './errors';
export { SerialQueue } from './serial-queue';
export { toDataSourceOptions } from './typeorm-options';
export type { SchemaOptions } from './typeorm-options';
export { UnitOfWork } from './unit-of-work';
