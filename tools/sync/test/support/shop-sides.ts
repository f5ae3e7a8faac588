import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { buildCatalogApp } from '../../../../apps/catalog/src/catalog-app';
import { buildInventoryApp } from '../../../../apps/inventory/src/inventory-app';
import { buildOrdersApp } from '../../../../apps/orders/src/orders-app';
import { buildPaymentsApp } from '../../../../apps/payments/src/payments-app';
import { buildLegacyApp } from '../../../../legacy-monolith/src/legacy-app';
import { PROCESSES } from '../../../stack/src/processes';
import { type TestDatabase, createPostgresDatabase } from '../../../testing/test-databases';
import { TEST_REDIS_URL, deleteTestKeys, uniqueTestPrefix } from '../../../testing/test-redis';
import { withEnv } from '../../../testing/with-env';

export const SIDES = ['legacy-monolith', 'catalog', 'inventory', 'payments', 'orders'] as const;
export type Side = (typeof SIDES)[number];

const BUILD: Readonly<Record<Side, () => Promise<NestExpressApplication>>> = {
  'legacy-monolith': buildLegacyApp,
  catalog: buildCatalogApp,
  inventory: buildInventoryApp,
  payments: buildPaymentsApp,
  orders: buildOrdersApp,
};

const JWT_SECRET = 'sync-verify-e2e-secret-0123456789abcdef0123';

/**
 * The five processes that keep data, built in-process on one Redis prefix so that their events
 * flow as in `npm start`: each on the database the launcher would give it in a temporary data
 * folder (`STACK_DATA_DIR`), but payments on a fresh PostgreSQL database
 * (`PAYMENTS_DATABASE_URL`). A side can be stopped and started again on its data.
 */
export class ShopSides {
  private readonly running = new Map<Side, { app: NestExpressApplication; url: string }>();
  readonly redisPrefix = uniqueTestPrefix('sync-verify');

  private constructor(
    readonly dataDir: string,
    private readonly payments: TestDatabase,
  ) {}

  static async start(): Promise<ShopSides> {
    const sides = new ShopSides(mkdtempSync(join(tmpdir(), 'ficus-sync-')), await createPostgresDatabase());
    try {
      for (const side of SIDES) await sides.startSide(side);
      return sides;
    } catch (error) {
      await sides.close();
      throw error;
    }
  }

  /** The launcher's variables that point `npm run sync:verify` at these databases. */
  get toolEnv(): Record<string, string | undefined> {
    return {
      STACK_DATA_DIR: this.dataDir,
      PAYMENTS_DATABASE_URL: this.payments.url,
      DATABASE_URL: undefined,
      LEGACY_DATABASE_URL: undefined,
      CATALOG_DATABASE_URL: undefined,
      INVENTORY_DATABASE_URL: undefined,
      ORDERS_DATABASE_URL: undefined,
    };
  }

  /** The `DATABASE_URL` the launcher gives `side` with {@link toolEnv}. */
  databaseUrl(side: Side): string {
    if (side === 'payments') return this.payments.url;
    const file = PROCESSES.find((spec) => spec.name === side)?.database?.defaultFile;
    if (!file) throw new Error(`No database for ${side}`);
    return `sqlite:${join(this.dataDir, file)}`;
  }

  /** Where `side` listens while it runs. */
  url(side: Side): string {
    const running = this.running.get(side);
    if (!running) throw new Error(`${side} is not running`);
    return running.url;
  }

  /** Builds `side` on its database (migrations run, its event consumer starts) and listens on a free port. */
  async startSide(side: Side): Promise<void> {
    const app = await withEnv(
      {
        DATABASE_URL: this.databaseUrl(side),
        JWT_SECRET,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: this.redisPrefix,
        EVENTS_RETRY_BASE_DELAY_MS: '20',
        EVENTS_RETRY_MAX_DELAY_MS: '200',
      },
      () => BUILD[side](),
    );
    try {
      await app.listen(0, '127.0.0.1');
    } catch (error) {
      await app.close();
      throw error;
    }
    this.running.set(side, { app, url: await app.getUrl() });
  }

  /** Stops `side`; its database and its consumer group stay, so events wait for its next start. */
  async stopSide(side: Side): Promise<void> {
    const running = this.running.get(side);
    this.running.delete(side);
    await running?.app.close();
  }

  async close(): Promise<void> {
    for (const side of [...this.running.keys()].reverse()) await this.stopSide(side);
    await this.payments.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
    await deleteTestKeys(this.redisPrefix);
  }
}
