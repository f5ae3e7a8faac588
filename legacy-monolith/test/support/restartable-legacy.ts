import type { NestExpressApplication } from '@nestjs/platform-express';
import { TestDatabase, createPostgresDatabase, createSqliteDatabase } from '../../../tools/testing/test-databases';
import { deleteTestKeys, uniqueTestPrefix } from '../../../tools/testing/test-redis';
import { withEnv } from '../../../tools/testing/with-env';
import { buildLegacyApp } from '../../src/legacy-app';
import { TEST_JWT_SECRET } from './legacy-harness';
import { ShopClient } from './shop-client';

/** One run of the monolith on a {@link RestartableLegacy}'s database, listening on a real port. */
export class LegacyInstance {
  readonly shop: ShopClient;

  constructor(
    readonly app: NestExpressApplication,
    readonly url: string,
  ) {
    this.shop = new ShopClient(url);
  }

  /** Stops the app; the database stays. */
  close(): Promise<void> {
    return this.app.close();
  }
}

/**
 * A database (a fresh SQLite file, or a fresh PostgreSQL database) that outlives the apps
 * started on it, so a test can stop the monolith and start another on the same data.
 * Every start runs the migrations, as in production.
 */
export class RestartableLegacy {
  private readonly running = new Set<LegacyInstance>();
  /** The Redis key prefix every app on this database uses (its outbox publishes there). */
  readonly redisPrefix = uniqueTestPrefix('legacy-restartable');

  private constructor(readonly database: TestDatabase) {}

  static async create(kind: 'sqlite' | 'postgres'): Promise<RestartableLegacy> {
    return new RestartableLegacy(kind === 'postgres' ? await createPostgresDatabase() : createSqliteDatabase());
  }

  /** Builds and starts an app on this database. */
  async start(env: Record<string, string | undefined> = {}): Promise<LegacyInstance> {
    const app = await withEnv(
      { DATABASE_URL: this.database.url, JWT_SECRET: TEST_JWT_SECRET, REDIS_PREFIX: this.redisPrefix, ...env },
      () => buildLegacyApp(),
    );
    try {
      await app.listen(0, '127.0.0.1');
    } catch (error) {
      await app.close();
      throw error;
    }
    const instance = new LegacyInstance(app, await app.getUrl());
    this.running.add(instance);
    return instance;
  }

  /** Stops an app started here; the database stays. */
  async stop(instance: LegacyInstance): Promise<void> {
    this.running.delete(instance);
    await instance.close();
  }

  /** Stops any app still running, drops the database and deletes the Redis keys. */
  async destroy(): Promise<void> {
    await Promise.allSettled([...this.running].map((instance) => this.stop(instance)));
    await this.database.drop();
    await deleteTestKeys(this.redisPrefix);
  }
}
