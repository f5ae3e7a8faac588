import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { TEST_REDIS_URL } from '../tools/testing/test-redis';
import { eventually } from '../tools/testing/test-streams';
import { send } from './support/answers';
import type { MigrationStack } from './support/migration-stack';
import { StackRun } from './support/stack-run';

/** Every round registers customers: the cheapest password hashing the monolith allows. */
const ENV = { PASSWORD_SCRYPT_COST: '10' };
const CUSTOMERS = 12;
const WORKERS = 4;
/** Plenty: the canary splits wallets by customer, not a product's stock (see the orders README). */
const STOCK = 100_000;
const PRICES = [150, 275, 420];
const FIRST_DEPOSIT = 2_000;

interface Customer {
  readonly id: string;
  readonly token: string;
}

interface PlacedOrder {
  readonly id: string;
  readonly customerId: string;
  readonly productId: string;
  readonly quantity: number;
  readonly totalCents: number;
  status: string;
}

/** What the clients were answered 2xx for: the balances and stocks the stack must show. */
class Answered {
  readonly deposits = new Map<string, number>();
  readonly orders: PlacedOrder[] = [];
  /** Per phase, the sides (`x-strangler-upstream`) each customer's order writes reached. */
  readonly sides = new Map<string, Set<string>>();
  phase = 'canary 50 %';
  ok = 0;

  expectedBalance(customerId: string): number {
    const spent = this.orders
      .filter((order) => order.customerId === customerId && order.status === 'APPROVED')
      .reduce((sum, order) => sum + order.totalCents, 0);
    return (this.deposits.get(customerId) ?? 0) - spent;
  }

  expectedStock(productId: string): number {
    const taken = this.orders
      .filter((order) => order.productId === productId && order.status === 'APPROVED')
      .reduce((sum, order) => sum + order.quantity, 0);
    return STOCK - taken;
  }
}

/**
 * Customers ordering, depositing and cancelling without pause: each worker keeps to its own
 * customers, one request at a time, as a client does.
 */
class OrdersLoad {
  private running = true;
  private readonly workers: Promise<void>[];

  constructor(
    private readonly facade: string,
    private readonly customers: readonly Customer[],
    private readonly products: readonly { id: string; priceCents: number }[],
    private readonly answered: Answered,
  ) {
    this.workers = Array.from({ length: WORKERS }, (_, worker) => this.work(worker));
  }

  async flowing(count: number): Promise<void> {
    const target = this.answered.ok + count;
    await eventually(
      async () => this.answered.ok,
      (ok) => ok >= target,
      60_000,
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async work(worker: number): Promise<void> {
    const mine = this.customers.filter((_, index) => index % WORKERS === worker);
    for (let n = 0; this.running; n++) {
      const customer = mine[n % mine.length]!;
      const product = this.products[(worker + n) % this.products.length]!;
      if (n % 7 === 6) await this.deposit(customer, 300 + worker);
      else if (n % 5 === 4) await this.cancelOne(customer);
      else await this.order(customer, product, 1 + (n % 3));
    }
  }

  private async order(customer: Customer, product: { id: string; priceCents: number }, quantity: number) {
    const answer = await send(this.facade, {
      method: 'POST',
      path: '/api/orders',
      token: customer.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { items: [{ productId: product.id, quantity }] },
    });
    this.answered.sides.set(
      `${this.answered.phase}/${customer.id}`,
      (this.answered.sides.get(`${this.answered.phase}/${customer.id}`) ?? new Set()).add(
        answer.headers['x-strangler-upstream'] ?? 'none',
      ),
    );
    expect(answer.status).toBe(201);
    const order = answer.body as { id: string; status: string; totalCents: number };
    expect(order.totalCents).toBe(product.priceCents * quantity);
    this.answered.orders.push({
      id: order.id,
      customerId: customer.id,
      productId: product.id,
      quantity,
      totalCents: order.totalCents,
      status: order.status,
    });
    this.answered.ok++;
  }

  private async deposit(customer: Customer, amountCents: number) {
    const answer = await send(this.facade, {
      method: 'POST',
      path: `/api/customers/${customer.id}/deposits`,
      token: customer.token,
      body: { amountCents },
    });
    expect(answer.status).toBe(201);
    this.answered.deposits.set(customer.id, (this.answered.deposits.get(customer.id) ?? 0) + amountCents);
    this.answered.ok++;
  }

  private async cancelOne(customer: Customer) {
    const order = this.answered.orders.find((o) => o.customerId === customer.id && o.status === 'APPROVED');
    if (!order) return;
    const answer = await send(this.facade, {
      method: 'POST',
      path: `/api/orders/${order.id}/cancel`,
      token: customer.token,
    });
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
    order.status = 'CANCELLED';
    this.answered.ok++;
  }
}

/**
 * Raising a canary of orders moves customers from the monolith's orders to the saga while they
 * keep ordering: payments must apply a customer's debits made by the monolith before the saga
 * charges that customer. Under continuous load, through a 50 % canary sticky by `jwt.sub`, then
 * live, then back to the monolith, nothing is overdrawn and, at the quiet point, every balance,
 * stock and order is exact on every side.
 */
describe('a canary of orders under load, raised to live and moved back (each process on its own SQLite file)', () => {
  const run = new StackRun('orders-canary', { database: 'sqlite', env: ENV });
  let stack: MigrationStack;
  let version: number;
  const customers: Customer[] = [];
  const products: { id: string; priceCents: number }[] = [];
  const answered = new Answered();
  let admin: string;

  beforeAll(async () => {
    await run.start();
    stack = run.stack;
    version = await stack.applyStage(1, 1);
    const facade = stack.facadeUrl;
    const token = await send(facade, {
      method: 'POST',
      path: '/api/auth/token',
      body: { email: 'admin@example.com', password: 'admin-password' },
    });
    admin = (token.body as { accessToken: string }).accessToken;
    version = await stack.applyStage(4, version);
    for (const [index, priceCents] of PRICES.entries()) {
      const created = await send(facade, {
        method: 'POST',
        path: '/api/products',
        token: admin,
        body: { sku: `CANARY-${index}`, name: `Canary ${index}`, priceCents, stock: STOCK },
      });
      expect(created.status).toBe(201);
      products.push({ id: (created.body as { id: string }).id, priceCents });
    }
    for (let i = 0; i < CUSTOMERS; i++) {
      const email = `canary-orders-${i}@example.com`;
      const password = 'a strong password';
      const registered = await send(facade, {
        method: 'POST',
        path: '/api/customers',
        body: { name: `Shopper ${i}`, email, password },
      });
      const tokenAnswer = await send(facade, { method: 'POST', path: '/api/auth/token', body: { email, password } });
      const customer = {
        id: (registered.body as { id: string }).id,
        token: (tokenAnswer.body as { accessToken: string }).accessToken,
      };
      const deposit = await send(facade, {
        method: 'POST',
        path: `/api/customers/${customer.id}/deposits`,
        token: customer.token,
        body: { amountCents: FIRST_DEPOSIT },
      });
      expect(deposit.status).toBe(201);
      answered.deposits.set(customer.id, FIRST_DEPOSIT);
      customers.push(customer);
    }
  }, 180_000);

  afterAll(() => run.close(), 60_000);

  it('keeps every wallet whole through a 50 % canary, live, and the way back, under load', async () => {
    version = await stack.setGroup('orders', version, 'half the customers', '--mode', 'canary', '--percent', '50');
    const load = new OrdersLoad(stack.facadeUrl, customers, products, answered);
    try {
      await load.flowing(60);
      answered.phase = 'live';
      version = await stack.setGroup('orders', version, 'every customer', '--mode', 'live', '--percent', 'none');
      await load.flowing(60);
      answered.phase = 'back on the monolith';
      version = await stack.applyStage(3, version);
      await load.flowing(60);
    } finally {
      await load.stop();
    }

    // One writer per wallet: within each phase, a customer's orders went to one side.
    const split = [...answered.sides.entries()].filter(([key]) => key.startsWith('canary 50 %/'));
    expect(split.filter(([, sides]) => sides.size !== 1)).toEqual([]);
    expect(new Set(split.map(([, sides]) => [...sides][0])).size).toBe(2);

    // An order answered PENDING (its saga outlasted the wait) settles: read its final status.
    for (const order of answered.orders.filter((o) => o.status === 'PENDING')) {
      const settled = await eventually(
        async () =>
          (
            (await send(stack.facadeUrl, { method: 'GET', path: `/api/orders/${order.id}`, token: admin })).body as {
              status: string;
            }
          ).status,
        (status) => status !== 'PENDING',
        30_000,
      );
      order.status = settled;
    }
    await run.quiet.reach(async () => []);
    const problems: string[] = [];
    for (const customer of customers) {
      const expected = answered.expectedBalance(customer.id);
      if (expected < 0) problems.push(`${customer.id}: answered writes overdraw it to ${expected}`);
      for (const [side, url] of [
        ['facade', stack.facadeUrl],
        ['monolith', stack.url('legacy')],
      ] as const) {
        const read = await send(url, { method: 'GET', path: `/api/customers/${customer.id}`, token: customer.token });
        const balance = (read.body as { balanceCents: number }).balanceCents;
        if (balance !== expected)
          problems.push(`${customer.id} at the ${side}: balance ${balance}, expected ${expected}`);
      }
    }
    for (const product of products) {
      const read = await send(stack.url('legacy'), { method: 'GET', path: `/api/products/${product.id}` });
      const stock = (read.body as { stock: number }).stock;
      if (stock !== answered.expectedStock(product.id))
        problems.push(`${product.id}: stock ${stock}, expected ${answered.expectedStock(product.id)}`);
    }
    // Every order answered 201 reads back, settled as answered, on the monolith and on the service.
    for (const order of answered.orders) {
      for (const [side, url] of [
        ['monolith', stack.url('legacy')],
        ['orders', stack.url('orders')],
      ] as const) {
        const read = await send(url, { method: 'GET', path: `/api/orders/${order.id}`, token: admin });
        const status = (read.body as { status?: string } | undefined)?.status;
        if (read.status !== 200 || status !== order.status)
          problems.push(`order ${order.id} at ${side}: ${read.status} ${status}, answered ${order.status}`);
      }
    }
    expect(problems).toEqual([]);
    expect(answered.orders.filter((order) => order.status === 'APPROVED').length).toBeGreaterThan(20);
    expect(answered.orders.filter((order) => order.status === 'REJECTED').length).toBeGreaterThan(0);

    // No balance went below zero anywhere, ever: each database's ledger never shows a negative balance.
    for (const [database, sql] of [
      ['legacy-monolith', 'SELECT COUNT(*) AS n FROM wallet_entries WHERE balance_after_cents < 0'],
      ['payments', 'SELECT COUNT(*) AS n FROM wallet_entries WHERE balance_after_cents < 0'],
    ] as const) {
      expect({ database, negative: Number((await run.databases.query(database, sql))[0]?.n) }).toEqual({
        database,
        negative: 0,
      });
    }
    const verified = await stack.syncVerify(30);
    expect({ status: verified.status, differences: verified.report.differences }).toEqual({
      status: 0,
      differences: [],
    });
    const redis = createClient({ url: TEST_REDIS_URL });
    await redis.connect();
    try {
      const dlq = await redis.keys(`${stack.redisPrefix}dlq:*`);
      expect(dlq).toEqual([]);
    } finally {
      await redis.quit();
    }
  }, 240_000);
});
