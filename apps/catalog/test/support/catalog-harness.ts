import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { JwtCodec } from '@app/auth';
import {
  type TestDatabase,
  createPostgresDatabase,
  createSqliteDatabase,
} from '../../../../tools/testing/test-databases';
import { deleteTestKeys, uniqueTestPrefix } from '../../../../tools/testing/test-redis';
import { eventually, publishEvent } from '../../../../tools/testing/test-streams';
import { withEnv } from '../../../../tools/testing/with-env';
import { buildCatalogApp } from '../../src/catalog-app';
import type { ProductBody } from './api-expectations';

export const TEST_JWT_SECRET = 'catalog-e2e-secret-0123456789abcdef0123456789';

const codec = new JwtCodec(TEST_JWT_SECRET);

/** A token as the monolith issues them (same secret), for a new principal of the role. */
export function tokenFor(role: 'admin' | 'customer', id: string = randomUUID()): string {
  return codec.issue({ id, role }).accessToken;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface CatalogHarnessOptions {
  readonly database?: 'sqlite' | 'postgres';
  /** An existing database to run on (a restart); it is then not dropped on close. */
  readonly databaseUrl?: string;
  /** An existing prefix to run on (a restart); its keys are then not deleted on close. */
  readonly redisPrefix?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The catalog built in-process on a fresh database (SQLite by default) and its own Redis
 * key prefix, listening on a real port, with the monolith's JWT secret.
 */
export class CatalogHarness {
  private constructor(
    readonly app: NestExpressApplication,
    readonly url: string,
    private readonly database: TestDatabase | undefined,
    readonly databaseUrl: string,
    /** The Redis key prefix of the streams it reads. */
    readonly redisPrefix: string,
    private readonly ownsPrefix: boolean,
  ) {}

  static async start(options: CatalogHarnessOptions = {}): Promise<CatalogHarness> {
    const database =
      options.databaseUrl !== undefined
        ? undefined
        : options.database === 'postgres'
          ? await createPostgresDatabase()
          : createSqliteDatabase();
    const databaseUrl = options.databaseUrl ?? database!.url;
    const redisPrefix = options.redisPrefix ?? uniqueTestPrefix('catalog');
    try {
      const app = await withEnv(
        {
          DATABASE_URL: databaseUrl,
          REDIS_PREFIX: redisPrefix,
          JWT_SECRET: TEST_JWT_SECRET,
          EVENTS_RETRY_BASE_DELAY_MS: '20',
          EVENTS_RETRY_MAX_DELAY_MS: '500',
          ...options.env,
        },
        () => buildCatalogApp(),
      );
      await app.listen(0, '127.0.0.1');
      return new CatalogHarness(
        app,
        await app.getUrl(),
        database,
        databaseUrl,
        redisPrefix,
        options.redisPrefix === undefined,
      );
    } catch (error) {
      await database?.drop();
      throw error;
    }
  }

  /** Supertest against the listening server. */
  http() {
    return request(this.url);
  }

  /** Appends an event to `<prefix>evt:<pattern>` as its origin's relay would. */
  publish(pattern: string, data: Record<string, unknown>): Promise<string> {
    return publishEvent(this.redisPrefix, pattern, data);
  }

  /** The product as `GET /api/products/{id}` shows it, or undefined while it answers 404. */
  async product(productId: string): Promise<ProductBody | undefined> {
    const response = await this.http().get(`/api/products/${productId}`);
    if (response.status === 404) return undefined;
    expect(response.status).toBe(200);
    return response.body as ProductBody;
  }

  /** Waits until the product shows and `done` holds for it. */
  async productBecomes(productId: string, done: (product: ProductBody) => boolean = () => true): Promise<ProductBody> {
    const product = await eventually(
      () => this.product(productId),
      (found) => found !== undefined && done(found),
    );
    return product!;
  }

  /** Stops the app; drops the database and deletes the keys it made, unless `keep` (for a restart). */
  async close(options: { keep?: boolean } = {}): Promise<void> {
    await this.app.close();
    if (options.keep) return;
    await this.database?.drop();
    if (this.ownsPrefix) await deleteTestKeys(this.redisPrefix);
  }
}
