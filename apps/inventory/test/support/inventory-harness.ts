import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { firstValueFrom } from 'rxjs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { JwtCodec } from '@app/auth';
import { ReleaseStock, type ReleaseStockReply, ReserveStock, type ReserveStockReply } from '@app/contracts';
import { RedisStreamsClient, RedisStreamsRemoteError } from '@app/redis-streams';
import { TestDatabase, createPostgresDatabase, createSqliteDatabase } from '../../../../tools/testing/test-databases';
import { TEST_REDIS_URL, deleteTestKeys, uniqueTestPrefix } from '../../../../tools/testing/test-redis';
import { eventually, readEvents } from '../../../../tools/testing/test-streams';
import { withEnv } from '../../../../tools/testing/with-env';
import { buildInventoryApp } from '../../src/inventory-app';
import { ProductEventSource } from './product-events';
import { ReservationLineEntity } from '../../src/reservations/reservation-line.entity';
import { ReservationEntity } from '../../src/reservations/reservation.entity';
import { ProductStockEntity } from '../../src/stock/product-stock.entity';
import { StockMovementEntity } from '../../src/stock/stock-movement.entity';

export const TEST_JWT_SECRET = 'inventory-e2e-secret-0123456789abcdef0123456789';

export interface Item {
  readonly productId: string;
  readonly quantity: number;
}

/** `stock.adjusted` as inventory publishes it. */
export interface StockAdjustedData {
  id: string;
  origin: string;
  occurredAt: string;
  aggregateId: string;
  sequence: number;
  productId: string;
  delta: number;
  stock: number;
  reason: 'adjustment' | 'order' | 'cancellation';
  note: string;
  orderId: string | null;
  updatedAt: string;
}

/** A request/reply failure as the saga sees it: the handler's code. */
export interface CommandFailure {
  readonly code: string;
  readonly message: string | readonly string[];
}

/**
 * Inventory built in-process on a fresh database (SQLite by default, or PostgreSQL) and
 * its own Redis key prefix, listening on a real port, with a client that sends the saga's
 * commands as orders would, and readers of what it stored and published.
 */
export class InventoryHarness {
  private readonly tokens = new JwtCodec(TEST_JWT_SECRET);
  /** The monolith, publishing its product events to this inventory's streams. */
  readonly legacy: ProductEventSource;

  private constructor(
    readonly app: NestExpressApplication,
    readonly url: string,
    private readonly database: TestDatabase,
    /** The Redis key prefix of this inventory's streams. */
    readonly redisPrefix: string,
    /** Sends `inventory.*` commands, as the order saga does. */
    readonly orders: RedisStreamsClient,
  ) {
    this.legacy = new ProductEventSource(redisPrefix, 'legacy-monolith');
  }

  /** A product created at the monolith with `stock`, once inventory has its record. */
  async product(stock: number): Promise<string> {
    const productId = randomUUID();
    await this.legacy.created(productId, stock);
    await this.stockBecomes(productId, stock);
    return productId;
  }

  static async start(
    options: {
      database?: 'sqlite' | 'postgres';
      /** Share streams with other processes of the test (its keys are deleted on close); a new prefix by default. */
      redisPrefix?: string;
      env?: Record<string, string | undefined>;
    } = {},
  ): Promise<InventoryHarness> {
    const database = options.database === 'postgres' ? await createPostgresDatabase() : createSqliteDatabase();
    const redisPrefix = options.redisPrefix ?? uniqueTestPrefix('inventory');
    try {
      const app = await withEnv(
        {
          DATABASE_URL: database.url,
          JWT_SECRET: TEST_JWT_SECRET,
          REDIS_URL: TEST_REDIS_URL,
          REDIS_PREFIX: redisPrefix,
          EVENTS_RETRY_BASE_DELAY_MS: '20',
          EVENTS_RETRY_MAX_DELAY_MS: '500',
          ...options.env,
        },
        () => buildInventoryApp(),
      );
      await app.listen(0, '127.0.0.1');
      const orders = new RedisStreamsClient({
        origin: 'orders',
        service: 'inventory',
        url: TEST_REDIS_URL,
        prefix: redisPrefix,
        requestTimeoutMs: 30_000,
      });
      await orders.connect();
      return new InventoryHarness(app, await app.getUrl(), database, redisPrefix, orders);
    } catch (error) {
      await database.drop();
      await deleteTestKeys(redisPrefix);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.orders.close();
    await this.app.close();
    await this.database.drop();
    await deleteTestKeys(this.redisPrefix);
  }

  /** Supertest against the listening server. */
  http() {
    return request(this.url);
  }

  adminToken(): string {
    return this.tokens.issue({ id: randomUUID(), role: 'admin' }).accessToken;
  }

  customerToken(): string {
    return this.tokens.issue({ id: randomUUID(), role: 'customer' }).accessToken;
  }

  /** `POST /api/products/{id}/stock-adjustments` as an admin; the response is left to the caller. */
  adjust(productId: string, body: unknown, token = this.adminToken()) {
    return this.http()
      .post(`/api/products/${productId}/stock-adjustments`)
      .set(bearer(token))
      .send(body as object);
  }

  /** A full `inventory.reserve-stock` request, header included. */
  reserveRequest(orderId: string, items: readonly Item[]): Record<string, unknown> {
    return { ...header(), orderId, items };
  }

  /** Sends `inventory.reserve-stock` and resolves with the reply. */
  reserve(orderId: string, items: readonly Item[]): Promise<ReserveStockReply> {
    return this.send(ReserveStock.pattern, this.reserveRequest(orderId, items));
  }

  /** Sends `inventory.release-stock` and resolves with the reply. */
  release(orderId: string): Promise<ReleaseStockReply> {
    return this.send(ReleaseStock.pattern, { ...header(), orderId });
  }

  send<T>(pattern: string, data: unknown): Promise<T> {
    return firstValueFrom(this.orders.send<T>(pattern, data));
  }

  /** The code and message of a command that must fail. */
  async failure(pattern: string, data: unknown): Promise<CommandFailure> {
    const outcome = await this.send(pattern, data).then(
      (reply) => ({ ok: true as const, reply }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (outcome.ok) throw new Error(`Expected ${pattern} to fail; it answered ${JSON.stringify(outcome.reply)}`);
    if (!(outcome.error instanceof RedisStreamsRemoteError)) throw outcome.error;
    return { code: outcome.error.body.code, message: outcome.error.body.message };
  }

  /** The stored stock record of a product, or null. */
  record(productId: string): Promise<ProductStockEntity | null> {
    return this.app.get(DataSource).getRepository(ProductStockEntity).findOneBy({ productId });
  }

  /** The stored stock of a product (undefined if inventory does not know it). */
  async stock(productId: string): Promise<number | undefined> {
    return (await this.record(productId))?.stock;
  }

  /** Waits until the product's stored stock is `stock`. */
  stockBecomes(productId: string, stock: number, timeoutMs = 15_000): Promise<number | undefined> {
    return eventually(
      () => this.stock(productId),
      (value) => value === stock,
      timeoutMs,
    );
  }

  /** The product's stock ledger, oldest first. */
  movements(productId: string): Promise<StockMovementEntity[]> {
    return this.app
      .get(DataSource)
      .getRepository(StockMovementEntity)
      .find({ where: { productId }, order: { createdAt: 'ASC', stockAfter: 'ASC' } });
  }

  /** Every ledger entry of an order. */
  orderMovements(orderId: string): Promise<StockMovementEntity[]> {
    return this.app.get(DataSource).getRepository(StockMovementEntity).find({ where: { orderId } });
  }

  reservation(orderId: string): Promise<ReservationEntity | null> {
    return this.app.get(DataSource).getRepository(ReservationEntity).findOneBy({ orderId });
  }

  /** The lines of an order's reservation as `[productId, quantity]`, by product id. */
  async reservationLines(orderId: string): Promise<[string, number][]> {
    const lines = await this.app
      .get(DataSource)
      .getRepository(ReservationLineEntity)
      .find({ where: { orderId }, order: { productId: 'ASC' } });
    return lines.map((line) => [line.productId, line.quantity]);
  }

  /** What inventory published to `<prefix>evt:stock.adjusted`, oldest first (optionally for one product). */
  async published(productId?: string): Promise<StockAdjustedData[]> {
    const events = await readEvents<StockAdjustedData>(this.redisPrefix, 'stock.adjusted');
    return events
      .map((event) => event.data)
      .filter((data) => data.origin === 'inventory' && (productId === undefined || data.productId === productId));
  }

  /** Waits until inventory published `count` events of the product. */
  publishedCount(productId: string, count: number): Promise<StockAdjustedData[]> {
    return eventually(
      () => this.published(productId),
      (events) => events.length === count,
    );
  }

  /** The `/metrics` text. */
  async metrics(): Promise<string> {
    return (await this.http().get('/metrics').expect(200)).text;
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The header of a saga command, as orders sends it. */
function header() {
  return { commandId: randomUUID(), schemaVersion: 1, issuedAt: new Date().toISOString(), origin: 'orders' };
}
