import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseConfig, createDatabaseConfig } from './database.config';
import { openMigrated } from './exclusive-migrations';
import { SchemaOptions, toDataSourceOptions } from './typeorm-options';
import { UnitOfWork } from './unit-of-work';

export const DATABASE_CONFIG = Symbol('DATABASE_CONFIG');

export interface DatabaseModuleOptions extends SchemaOptions {
  /** Names the default SQLite file: `data/<processName>.sqlite`. */
  readonly processName: string;
}

/**
 * One database per process, from `DATABASE_URL`: SQLite by default, PostgreSQL for
 * `postgres://` URLs; migrations run at start-up, one process at a time ({@link openMigrated}).
 * Provides {@link UnitOfWork}.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    const databaseConfig = createDatabaseConfig(options.processName);
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        ConfigModule.forFeature(databaseConfig),
        TypeOrmModule.forRootAsync({
          imports: [ConfigModule.forFeature(databaseConfig)],
          inject: [databaseConfig.KEY],
          useFactory: (config: DatabaseConfig) => toDataSourceOptions(config, options),
          // Migrations run one process at a time, so that instances starting together on one database do not collide.
          dataSourceFactory: (dataSourceOptions) => openMigrated(dataSourceOptions!),
        }),
      ],
      providers: [
        { provide: DATABASE_CONFIG, useFactory: (config: DatabaseConfig) => config, inject: [databaseConfig.KEY] },
        UnitOfWork,
      ],
      exports: [DATABASE_CONFIG, UnitOfWork],
    };
  }
}
