import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { CustomerBody, OrderBody, PageBody, ProductBody } from './api-expectations';
import { TestDatabase, createPostgresDatabase, createSqliteDatabase } from '../../../tools/testing/test-databases';
import { deleteTestKeys, uniqueTestPrefix } from '../../../tools/testing/test-redis';
import { withEnv } from '../../../tools/testing/with-env';
import { buildLegacyApp } from '../../src/legacy-app';

export const TEST_JWT_SECRET = 'legacy-e2e-secret-0123456789abcdef0123456789';
export const TEST_ADMIN = { email: 'admin@example.com', password: 'admin-password' };

export interface Customer {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly password: string;
  readonly token: string;
}

export interface Product {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  readonly stock: number;
}

/**
 * The monolith built in-process on a fresh database (SQLite by default, or PostgreSQL)
 * and its own Redis key prefix, listening on a real port, with helpers that go through
 * the public API only.
 */
export class LegacyHarness {
  private adminTokenValue: string | undefined;

  private constructor(
    readonly app: NestExpressApplication,
    readonly url: string,
    private readonly database: TestDatabase,
    /** The Redis key prefix of this monolith's streams. */
    readonly redisPrefix: string,
  ) {}

  static async start(
    options: { database?: 'sqlite' | 'postgres'; env?: Record<string, string | undefined> } = {},
  ): Promise<LegacyHarness> {
    const database = options.database === 'postgres' ? await createPostgresDatabase() : createSqliteDatabase();
    const env = { REDIS_PREFIX: uniqueTestPrefix('legacy'), ...options.env };
    try {
      const app = await withEnv({ DATABASE_URL: database.url, JWT_SECRET: TEST_JWT_SECRET, ...env }, () =>
        buildLegacyApp(),
      );
      await app.listen(0, '127.0.0.1');
      return new LegacyHarness(app, await app.getUrl(), database, env.REDIS_PREFIX ?? '');
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  /** Supertest against the listening server. */
  http() {
    return request(this.url);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.database.drop();
    if (this.redisPrefix.startsWith('ficus-test:')) await deleteTestKeys(this.redisPrefix);
  }

  async adminToken(): Promise<string> {
    this.adminTokenValue ??= await this.token(TEST_ADMIN.email, TEST_ADMIN.password);
    return this.adminTokenValue;
  }

  async token(email: string, password: string): Promise<string> {
    const response = await this.http().post('/api/auth/token').send({ email, password }).expect(200);
    return (response.body as { accessToken: string }).accessToken;
  }

  async registerCustomer(
    overrides: Partial<{ name: string; email: string; password: string }> = {},
  ): Promise<Customer> {
    const name = overrides.name ?? 'Test Customer';
    const email = overrides.email ?? `customer-${randomUUID()}@example.com`;
    const password = overrides.password ?? 'a strong password';
    const response = await this.http().post('/api/customers').send({ name, email, password }).expect(201);
    const id = (response.body as { id: string }).id;
    return { id, name, email: email.toLowerCase(), password, token: await this.token(email, password) };
  }

  async createProduct(overrides: Partial<Omit<Product, 'id'>> = {}): Promise<Product> {
    const body = {
      sku: overrides.sku ?? `SKU-${randomUUID().slice(0, 8).toUpperCase()}`,
      name: overrides.name ?? 'Test product',
      priceCents: overrides.priceCents ?? 1_000,
      stock: overrides.stock ?? 10,
    };
    const response = await this.http()
      .post('/api/products')
      .set('authorization', `Bearer ${await this.adminToken()}`)
      .send(body)
      .expect(201);
    return response.body as Product;
  }

  async deposit(customer: Customer, amountCents: number): Promise<number> {
    const response = await this.http()
      .post(`/api/customers/${customer.id}/deposits`)
      .set('authorization', `Bearer ${customer.token}`)
      .send({ amountCents })
      .expect(201);
    return (response.body as { balanceCents: number }).balanceCents;
  }

  /** The customer as `GET /api/customers/{id}` shows it to themselves. */
  async customer(customer: Customer): Promise<CustomerBody> {
    const response = await this.http().get(`/api/customers/${customer.id}`).set(bearer(customer.token)).expect(200);
    return response.body as CustomerBody;
  }

  async balance(customer: Customer): Promise<number> {
    return (await this.customer(customer)).balanceCents;
  }

  /** The product as `GET /api/products/{id}` shows it. */
  async product(productId: string): Promise<ProductBody> {
    const response = await this.http().get(`/api/products/${productId}`).expect(200);
    return response.body as ProductBody;
  }

  async stock(productId: string): Promise<number> {
    return (await this.product(productId)).stock;
  }

  /** `POST /api/orders` as the customer; the response is left to the caller to check. */
  placeOrder(
    customer: Customer,
    items: readonly { productId: string; quantity: number }[],
    headers: Record<string, string> = {},
  ) {
    return this.http().post('/api/orders').set(bearer(customer.token)).set(headers).send({ items });
  }

  /** Places an order that must be answered 201; returns the Order. */
  async order(customer: Customer, items: readonly { productId: string; quantity: number }[]): Promise<OrderBody> {
    const response = await this.placeOrder(customer, items).expect(201);
    return response.body as OrderBody;
  }

  /** `POST /api/products/{id}/stock-adjustments` as the admin; returns the new stock. */
  async adjustStock(productId: string, delta: number, reason = 'stock count'): Promise<number> {
    const response = await this.http()
      .post(`/api/products/${productId}/stock-adjustments`)
      .set(bearer(await this.adminToken()))
      .send({ delta, reason })
      .expect(201);
    return (response.body as { stock: number }).stock;
  }

  /** A new customer with `balanceCents` in the wallet. */
  async customerWith(balanceCents: number): Promise<Customer> {
    const customer = await this.registerCustomer();
    if (balanceCents > 0) await this.deposit(customer, balanceCents);
    return customer;
  }

  /** How many orders an admin sees for the customer. */
  async orderCount(customer: Customer): Promise<number> {
    const response = await this.http()
      .get('/api/orders')
      .query({ customerId: customer.id })
      .set(bearer(await this.adminToken()))
      .expect(200);
    return (response.body as PageBody<OrderBody>).total;
  }

  /** Every order of the customer, as they list them (all pages). */
  async orders(customer: Customer): Promise<OrderBody[]> {
    const orders: OrderBody[] = [];
    for (let offset = 0; ; offset += 100) {
      const response = await this.http()
        .get('/api/orders')
        .query({ limit: 100, offset })
        .set(bearer(customer.token))
        .expect(200);
      const page = response.body as PageBody<OrderBody>;
      orders.push(...page.items);
      if (orders.length >= page.total || page.items.length === 0) return orders;
    }
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
