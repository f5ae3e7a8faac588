import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { JwtCodec, type Role } from '@app/auth';
import { AWAIT_HEADER, POSITIONS_HEADER } from '@app/contracts';
import { freePort } from '../../../../tools/testing/free-port';
import { TestDatabase, createPostgresDatabase, createSqliteDatabase } from '../../../../tools/testing/test-databases';
import { TEST_REDIS_URL, deleteTestKeys, uniqueTestPrefix } from '../../../../tools/testing/test-redis';
import { eventually } from '../../../../tools/testing/test-streams';
import { withEnv } from '../../../../tools/testing/with-env';
import { buildOrdersApp } from '../../src/orders-app';
import { KillableProcess } from '../../../../tools/testing/killable-process';
import { ReadOnlyDatabase } from './read-only-database';

export const TEST_JWT_SECRET = 'orders-e2e-secret-0123456789abcdef0123456789ab';
export type DatabaseKind = 'sqlite' | 'postgres';
type Side = 'legacy' | 'inventory' | 'payments';
/** Every process of the stack: orders too, which runs compiled with `ordersAsProcess`. */
export type StackSide = Side | 'orders';

const ENTRIES: Record<StackSide, string> = {
  legacy: 'dist/legacy-monolith/src/main.js',
  inventory: 'dist/apps/inventory/src/main.js',
  payments: 'dist/apps/payments/src/main.js',
  orders: 'dist/apps/orders/src/main.js',
};

export interface OrdersStackOptions {
  /**
   * Orders runs compiled (`dist/apps/orders/src/main.js`) as the others do, on a port of its own,
   * so that a test can kill and restart it ({@link OrdersStack.kill}); `orders` (the app) is then
   * not available. Default: built in-process.
   */
  readonly ordersAsProcess?: boolean;
}

interface Started {
  readonly process: KillableProcess;
  readonly url: string;
}

/** A response's `x-ficus-positions`, to send as `x-ficus-await` so the next side reads it. */
export function positionsOf(response: { headers: Record<string, unknown> }): string[] {
  const value = response.headers[POSITIONS_HEADER];
  return typeof value === 'string' ? [value] : [];
}

/**
 * Orders built in-process (or started compiled, `ordersAsProcess`), beside the monolith, inventory
 * and payments started compiled (as the stack runs them), each on a fresh database of `kind` and
 * one Redis prefix of the test's own, so that they exchange events and commands. A test plays the
 * facade: it carries each answer's positions to the next request (`x-ficus-await`), so every side
 * reads what was written before. A compiled process can be frozen, killed and restarted on its
 * database and prefix ({@link pause}, {@link kill}, {@link restart}), and each database read
 * directly ({@link database}).
 */
export class OrdersStack {
  private readonly codec = new JwtCodec(TEST_JWT_SECRET);
  private readonly readers = new Map<StackSide, ReadOnlyDatabase>();
  readonly adminId = '00000000-0000-4000-8000-00000000ad01';

  private constructor(
    private readonly app: NestExpressApplication | undefined,
    readonly ordersUrl: string,
    private readonly processes: Map<StackSide, Started>,
    private readonly databases: Map<StackSide, TestDatabase>,
    readonly prefix: string,
  ) {}

  static async start(
    kind: DatabaseKind,
    ordersEnv: Record<string, string> = {},
    options: OrdersStackOptions = {},
  ): Promise<OrdersStack> {
    const prefix = uniqueTestPrefix('orders');
    const databases = new Map<StackSide, TestDatabase>();
    const database = async (side: StackSide) => {
      const made = kind === 'postgres' ? await createPostgresDatabase() : createSqliteDatabase();
      databases.set(side, made);
      return made;
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
    const processes = new Map<StackSide, Started>();
    const startProcess = async (side: StackSide, extra: Record<string, string> = {}) => {
      const port = await freePort();
      const env = { ...common, PORT: String(port), DATABASE_URL: (await database(side)).url, ...extra };
      const url = `http://127.0.0.1:${port}`;
      const process = await KillableProcess.start({
        name: side,
        entry: ENTRIES[side],
        env,
        readyUrl: `${url}/health/ready`,
      });
      processes.set(side, { process, url });
    };
    let app: NestExpressApplication | undefined;
    try {
      await Promise.all((['legacy', 'inventory', 'payments'] as const).map((side) => startProcess(side)));
      const env = { SAGAS_POLL_INTERVAL_MS: '100', ...ordersEnv };
      if (options.ordersAsProcess) {
        await startProcess('orders', env);
        return new OrdersStack(undefined, processes.get('orders')!.url, processes, databases, prefix);
      }
      const url = (await database('orders')).url;
      app = await withEnv({ ...common, DATABASE_URL: url, ...env }, () => buildOrdersApp());
      await app.listen(0, '127.0.0.1');
      return new OrdersStack(app, await app.getUrl(), processes, databases, prefix);
    } catch (error) {
      await app?.close();
      await Promise.all([...processes.values()].map(({ process }) => process.stop()));
      await Promise.all([...databases.values()].map((db) => db.drop()));
      throw error;
    }
  }

  /** Orders, built in-process (not with `ordersAsProcess`). */
  get orders(): NestExpressApplication {
    if (!this.app) throw new Error('orders runs as a process here (ordersAsProcess): there is no app to get');
    return this.app;
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.processes.get('orders')?.process.stop();
    await Promise.all([...this.processes.values()].map(({ process }) => process.stop()));
    await Promise.all([...this.readers.values()].map((reader) => reader.close()));
    await Promise.all([...this.databases.values()].map((db) => db.drop()));
    await deleteTestKeys(this.prefix);
  }

  token(sub: string, role: Role = 'customer'): string {
    return this.codec.issue({ id: sub, role }).accessToken;
  }

  /** Supertest against a side: `orders` (in-process or compiled) or a compiled one. */
  http(side: StackSide) {
    return request(side === 'orders' ? this.ordersUrl : this.urlOf(side));
  }

  urlOf(side: Side): string {
    const known = this.processes.get(side);
    if (!known) throw new Error(`no process ${side}`);
    return known.url;
  }

  /** A side's database, read directly (read-only), while it runs or after it was killed. */
  database(side: StackSide): ReadOnlyDatabase {
    let reader = this.readers.get(side);
    if (!reader) {
      const database = this.databases.get(side);
      if (!database) throw new Error(`no database of ${side}`);
      reader = new ReadOnlyDatabase(database.url);
      this.readers.set(side, reader);
    }
    return reader;
  }

  /** The `DATABASE_URL` a side runs on. */
  databaseUrl(side: StackSide): string {
    const database = this.databases.get(side);
    if (!database) throw new Error(`no database of ${side}`);
    return database.url;
  }

  /** Freezes a compiled side (`SIGSTOP`): what is sent to it waits, unread, until {@link resume}. */
  pause(side: StackSide): void {
    this.processOf(side).pause();
  }

  /** Thaws a side {@link pause} froze (`SIGCONT`). */
  resume(side: StackSide): void {
    this.processOf(side).resume();
  }

  /** Kills a compiled side with `SIGKILL` (frozen or not) and waits until it is gone. */
  async kill(side: StackSide): Promise<void> {
    await this.processOf(side).kill();
  }

  /** Starts a killed side again, on its port, database and Redis prefix, and waits until it is ready. */
  async restart(side: StackSide): Promise<void> {
    await this.processOf(side).restart();
  }

  /** What a compiled side printed (every start of it), for a reader of a failure. */
  outputOf(side: StackSide): string {
    return this.processOf(side).output;
  }

  private processOf(side: StackSide): KillableProcess {
    const known = this.processes.get(side);
    if (!known) throw new Error(`${side} does not run as a process here`);
    return known.process;
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
