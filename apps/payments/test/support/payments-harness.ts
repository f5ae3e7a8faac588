import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { firstValueFrom } from 'rxjs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { JwtCodec, type Role } from '@app/auth';
import { RedisStreamsClient } from '@app/redis-streams';
import { TestDatabase, createPostgresDatabase, createSqliteDatabase } from '../../../../tools/testing/test-databases';
import { TEST_REDIS_URL, deleteTestKeys, uniqueTestPrefix } from '../../../../tools/testing/test-redis';
import { type StreamEvent, eventually, publishEvent, readEvents } from '../../../../tools/testing/test-streams';
import { withEnv } from '../../../../tools/testing/with-env';
import { buildPaymentsApp } from '../../src/payments-app';
import type { PublishedEvent } from './legacy-events';

export const TEST_JWT_SECRET = 'payments-e2e-secret-0123456789abcdef0123456789';

/** A wallet as stored: its balance, and its ledger oldest first (`[amount, balance after, kind, order id]`). */
export interface StoredWallet {
  readonly balanceCents: number;
  readonly entries: [number, number, string, string | null][];
}

type Row = Record<string, string | number | null>;

/**
 * Payments built in-process on a fresh database (SQLite by default, or PostgreSQL) and
 * its own Redis key prefix, listening on a real port; with tokens for any principal, a
 * streams client that sends the saga's commands as `orders` does, and readers of what it
 * stored and published.
 */
export class PaymentsHarness {
  private readonly codec = new JwtCodec(TEST_JWT_SECRET);

  private constructor(
    readonly app: NestExpressApplication,
    readonly url: string,
    private readonly database: TestDatabase,
    readonly redisPrefix: string,
    readonly databaseKind: 'sqlite' | 'postgres',
    /** Sends requests to `<prefix>req:payments` as the order saga would. */
    readonly orders: RedisStreamsClient,
  ) {}

  static async start(
    options: { database?: 'sqlite' | 'postgres'; env?: Record<string, string | undefined> } = {},
  ): Promise<PaymentsHarness> {
    const kind = options.database ?? 'sqlite';
    const database = kind === 'postgres' ? await createPostgresDatabase() : createSqliteDatabase();
    // A test may share a prefix with another process (the monolith) so the two exchange events.
    const prefix = options.env?.REDIS_PREFIX ?? uniqueTestPrefix('payments');
    const env = {
      DATABASE_URL: database.url,
      JWT_SECRET: TEST_JWT_SECRET,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      EVENTS_RETRY_BASE_DELAY_MS: '20',
      EVENTS_RETRY_MAX_DELAY_MS: '200',
      ...options.env,
    };
    let app: NestExpressApplication | undefined;
    try {
      app = await withEnv(env, () => buildPaymentsApp());
      await app.listen(0, '127.0.0.1');
      const orders = new RedisStreamsClient({ origin: 'orders', service: 'payments', url: TEST_REDIS_URL, prefix });
      await orders.connect();
      return new PaymentsHarness(app, await app.getUrl(), database, prefix, kind, orders);
    } catch (error) {
      await app?.close();
      await database.drop();
      throw error;
    }
  }

  /** Supertest against the listening server. */
  http() {
    return request(this.url);
  }

  async close(): Promise<void> {
    await this.orders.close();
    await this.app.close();
    await this.database.drop();
    await deleteTestKeys(this.redisPrefix);
  }

  /** A valid access token for `sub` (a customer by default), as the monolith issues them. */
  token(sub: string, role: Role = 'customer'): string {
    return this.codec.issue({ id: sub, role }).accessToken;
  }

  adminToken(): string {
    return this.token('00000000-0000-4000-8000-00000000ad01', 'admin');
  }

  /** `POST /api/customers/{id}/deposits` with the token given; the response is left to the caller. */
  deposit(customerId: string, body: unknown, token = this.token(customerId), key?: string) {
    const test = this.http().post(`/api/customers/${customerId}/deposits`).set('authorization', `Bearer ${token}`);
    return (key === undefined ? test : test.set('Idempotency-Key', key)).send(body as object);
  }

  /** Sends a saga command with its header filled in (as `orders` would); resolves with the reply. */
  command<T = unknown>(pattern: string, body: Record<string, unknown>, timeoutMs = 10_000): Promise<T> {
    const data = {
      commandId: randomUUID(),
      schemaVersion: 1,
      issuedAt: new Date().toISOString(),
      origin: 'orders',
      ...body,
    };
    return this.send<T>(pattern, data, timeoutMs);
  }

  /** Sends exactly `data` (for requests that break the contract). */
  send<T = unknown>(pattern: string, data: unknown, timeoutMs = 10_000): Promise<T> {
    return firstValueFrom(this.orders.send<T>(pattern, data, { timeoutMs }));
  }

  /** Appends another service's event to `<prefix>evt:<pattern>`, as its relay would. */
  publish(event: PublishedEvent): Promise<string> {
    return publishEvent(this.redisPrefix, event.pattern, event.data);
  }

  /** The events of `pattern` payments published about a customer, oldest first. */
  async publishedEvents(pattern: string, customerId: string): Promise<StreamEvent[]> {
    const events = await readEvents(this.redisPrefix, pattern);
    return events.filter((event) => event.data.origin === 'payments' && event.data.customerId === customerId);
  }

  /**
   * Every wallet event payments published about a customer, in its order, as
   * `[pattern, reason, amount, balance, orderId, sequence]`. A deposit of 1 cent is made first as a
   * marker: once its event is on the stream, so is every earlier one (the marker is left out).
   */
  async walletEventsBeforeMarker(customerId: string): Promise<unknown[][]> {
    const marker = await this.deposit(customerId, { amountCents: 1 }).expect(201);
    const markerBalance = (marker.body as { balanceCents: number }).balanceCents;
    await eventually(
      () => this.publishedEvents('wallet.credited', customerId),
      (events) => events.some((event) => event.data.balanceCents === markerBalance && event.data.amountCents === 1),
    );
    const all = [
      ...(await this.publishedEvents('wallet.credited', customerId)),
      ...(await this.publishedEvents('wallet.debited', customerId)),
    ].sort((a, b) => Number(a.data.sequence) - Number(b.data.sequence));
    return all
      .map((event) => [
        event.pattern,
        event.data.reason,
        event.data.amountCents,
        event.data.balanceCents,
        event.data.orderId,
        event.data.sequence,
      ])
      .slice(0, -1);
  }

  /** The wallet as stored, or null when payments has none for the customer. */
  async wallet(customerId: string): Promise<StoredWallet | null> {
    // One statement, so the balance and the entries come from one snapshot even while others write.
    const rows = (await this.query(
      'SELECT w.balance_cents, e.amount_cents, e.balance_after_cents, e.kind, e.order_id FROM wallets w ' +
        'LEFT JOIN wallet_entries e ON e.customer_id = w.customer_id WHERE w.customer_id = $1 ' +
        'ORDER BY e.created_at, e.balance_after_cents',
      [customerId],
    )) as Row[];
    if (rows.length === 0) return null;
    return {
      balanceCents: Number(rows[0]?.balance_cents),
      entries: rows
        .filter((row) => row.kind !== null && row.kind !== undefined)
        .map((row) => [
          Number(row.amount_cents),
          Number(row.balance_after_cents),
          String(row.kind),
          row.order_id === null ? null : String(row.order_id),
        ]),
    };
  }

  /** The charges stored for a customer: order id, status and whether it was refunded. */
  async charges(customerId: string): Promise<{ orderId: string; status: string; refunded: boolean }[]> {
    const rows = (await this.query(
      'SELECT order_id, status, refunded_at FROM wallet_charges WHERE customer_id = $1 ORDER BY charged_at',
      [customerId],
    )) as Row[];
    return rows.map((row) => ({
      orderId: String(row.order_id),
      status: String(row.status),
      refunded: row.refunded_at !== null,
    }));
  }

  /** The charge stored for an order, every column but the times as numbers or strings, with whether it was refunded; null if none. */
  async charge(orderId: string): Promise<{
    customerId: string;
    amountCents: number;
    status: string;
    balanceAfterCents: number | null;
    refunded: boolean;
    refundBalanceCents: number | null;
  } | null> {
    const [row] = (await this.query(
      'SELECT customer_id, amount_cents, status, balance_after_cents, refunded_at, refund_balance_cents ' +
        'FROM wallet_charges WHERE order_id = $1',
      [orderId],
    )) as Row[];
    if (!row) return null;
    const cents = (value: string | number | null | undefined) =>
      value === null || value === undefined ? null : Number(value);
    return {
      customerId: String(row.customer_id),
      amountCents: Number(row.amount_cents),
      status: String(row.status),
      balanceAfterCents: cents(row.balance_after_cents),
      refunded: row.refunded_at !== null,
      refundBalanceCents: cents(row.refund_balance_cents),
    };
  }

  /** A Prometheus sample of `GET /metrics` (0 when absent). */
  async metric(name: string, labels: Record<string, string>): Promise<number> {
    const text = (await this.http().get('/metrics').expect(200)).text;
    const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
    const line = text
      .split('\n')
      .find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  }

  /** Plain SQL with `$1`-style placeholders on both databases. */
  private query(sql: string, parameters: unknown[]): Promise<unknown> {
    const text = this.databaseKind === 'postgres' ? sql : sql.replace(/\$\d+/g, '?');
    return this.app.get(DataSource).query(text, parameters);
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
