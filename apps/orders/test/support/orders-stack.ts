import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { JwtCodec, type Role } from '@app/auth';
import { AWAIT_HEADER, POSITIONS_HEADER } from '@app/contracts';
import { CompiledProcess } from '../../../../tools/testing/compiled-process';
import { freePort } from '../../../../tools/testing/free-port';
import { TestDatabase, createPostgresDatabase, createSqliteDatabase } from '../../../../tools/testing/test-databases';
import { TEST_REDIS_URL, deleteTestKeys, uniqueTestPrefix } from '../../../../tools/testing/test-redis';
import { eventually } from '../../../../tools/testing/test-streams';
import { withEnv } from '../../../../tools/testing/with-env';
import { buildOrdersApp } from '../../src/orders-app';

export const TEST_JWT_SECRET = 'orders-e2e-secret-0123456789abcdef0123456789ab';
export type DatabaseKind = 'sqlite' | 'postgres';
type Side = 'legacy' | 'inventory' | 'payments';

const ENTRIES: Record<Side, string> = {
  legacy: 'dist/legacy-monolith/src/main.js',
  inventory: 'dist/apps/inventory/src/main.js',
  payments: 'dist/apps/payments/src/main.js',
};

/** A response's `x-ficus-positions`, to send as `x-ficus-await` so the next side reads it. */
export function positionsOf(response: { headers: Record<string, unknown> }): string[] {
  const value = response.headers[POSITIONS_HEADER];
  return typeof value === 'string' ? [value] : [];
}

/**
 * Orders built in-process, beside the monolith, inventory and payments started compiled (as the
 * stack runs them), each on a fresh database of `kind` and one Redis prefix of the test's own, so
 * that they exchange events and commands. A test plays the facade: it carries each answer's
 * positions to the next request (`x-ficus-await`), so every side reads what was written before.
 */
export class OrdersStack {
  private readonly codec = new JwtCodec(TEST_JWT_SECRET);
  readonly adminId = '00000000-0000-4000-8000-00000000ad01';

  private constructor(
    readonly orders: NestExpressApplication,
    readonly ordersUrl: string,
    private readonly processes: Map<Side, { process: CompiledProcess; url: string; env: Record<string, string> }>,
    private readonly databases: TestDatabase[],
    readonly prefix: string,
  ) {}

  static async start(kind: DatabaseKind, ordersEnv: Record<string, string> = {}): Promise<OrdersStack> {
    const prefix = uniqueTestPrefix('orders');
    const databases: TestDatabase[] = [];
    const database = () => {
      const made = kind === 'postgres' ? createPostgresDatabase() : Promise.resolve(createSqliteDatabase());
      return made.then((db) => (databases.push(db), db));
    };
    const common = {
      JWT_SECRET: TEST_JWT_SECRET,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      HOST: '127.0.0.1',
      EVENTS_RETRY_BASE_DELAY_MS: '20',
      EVENTS_RETRY_MAX_DELAY_MS: '200',
      CONSISTENCY_WAIT_MS: '15000',
    };
    const processes = new Map<Side, { process: CompiledProcess; url: string; env: Record<string, string> }>();
    let orders: NestExpressApplication | undefined;
    try {
      await Promise.all(
        (Object.keys(ENTRIES) as Side[]).map(async (side) => {
          const port = await freePort();
          const env = { ...common, PORT: String(port), DATABASE_URL: (await database()).url };
          const url = `http://127.0.0.1:${port}`;
          const process = await CompiledProcess.start({
            name: side,
            entry: ENTRIES[side],
            env,
            readyUrl: `${url}/health/ready`,
          });
          processes.set(side, { process, url, env });
        }),
      );
      const env = { ...common, DATABASE_URL: (await database()).url, SAGAS_POLL_INTERVAL_MS: '100', ...ordersEnv };
      orders = await withEnv(env, () => buildOrdersApp());
      await orders.listen(0, '127.0.0.1');
      return new OrdersStack(orders, await orders.getUrl(), processes, databases, prefix);
    } catch (error) {
      await orders?.close();
      await Promise.all([...processes.values()].map(({ process }) => process.stop()));
      await Promise.all(databases.map((db) => db.drop()));
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.orders.close();
    await Promise.all([...this.processes.values()].map(({ process }) => process.stop()));
    await Promise.all(this.databases.map((db) => db.drop()));
    await deleteTestKeys(this.prefix);
  }

  token(sub: string, role: Role = 'customer'): string {
    return this.codec.issue({ id: sub, role }).accessToken;
  }

  /** Supertest against a side: `orders` (in-process) or a compiled one. */
  http(side: Side | 'orders') {
    return request(side === 'orders' ? this.ordersUrl : this.urlOf(side));
  }

  urlOf(side: Side): string {
    const known = this.processes.get(side);
    if (!known) throw new Error(`no process ${side}`);
    return known.url;
  }

  /** A product created at the monolith (as an admin), with the positions its answer reported. */
  async product(priceCents: number, stock: number): Promise<{ id: string; positions: string[] }> {
    const response = await this.http('legacy')
      .post('/api/products')
      .set('authorization', `Bearer ${this.token(this.adminId, 'admin')}`)
      .send({ sku: `SKU-${randomUUID().slice(0, 8).toUpperCase()}`, name: 'Mug', priceCents, stock })
      .expect(201);
    return { id: response.body.id, positions: positionsOf(response) };
  }

  /** A customer registered at the monolith, with `balanceCents` deposited at payments. */
  async customer(balanceCents: number): Promise<{ id: string; token: string; positions: string[] }> {
    const registered = await this.http('legacy')
      .post('/api/customers')
      .send({ name: 'Ada', email: `ada-${randomUUID()}@example.com`, password: 'correct horse' })
      .expect(201);
    const id = registered.body.id as string;
    const token = this.token(id);
    let positions = positionsOf(registered);
    if (balanceCents > 0) {
      const deposit = await this.http('payments')
        .post(`/api/customers/${id}/deposits`)
        .set('authorization', `Bearer ${token}`)
        .set(AWAIT_HEADER, positions.join(','))
        .send({ amountCents: balanceCents })
        .expect(201);
      positions = [...positions, ...positionsOf(deposit)];
    }
    return { id, token, positions };
  }

  /** `POST /api/orders` at orders, waiting for what `after` wrote. */
  place(token: string, items: { productId: string; quantity: number }[], after: string[] = [], key?: string) {
    const test = this.http('orders')
      .post('/api/orders')
      .set('authorization', `Bearer ${token}`)
      .set(AWAIT_HEADER, after.join(','));
    return (key === undefined ? test : test.set('Idempotency-Key', key)).send({ items });
  }

  /** The product as a side serves it, once `done` holds (events are applied in the background). */
  async productAt(side: 'legacy', id: string, done: (product: { stock: number }) => boolean) {
    return eventually(
      async () => (await this.http(side).get(`/api/products/${id}`)).body as { stock: number },
      done,
      20_000,
    );
  }

  /** A customer's balance at the monolith, once `done` holds. */
  async balanceAtLegacy(id: string, token: string, done: (balanceCents: number) => boolean): Promise<number> {
    return eventually(
      async () =>
        (await this.http('legacy').get(`/api/customers/${id}`).set('authorization', `Bearer ${token}`)).body
          .balanceCents as number,
      done,
      20_000,
    );
  }
}
