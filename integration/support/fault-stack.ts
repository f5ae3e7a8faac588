import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LauncherRun } from '../../tools/stack/test/support/launcher';
import { eventually, withRedis } from '../../tools/testing/test-streams';
import { send } from './answers';
import { MigrationStack, type MigrationStackOptions, STACK_DATABASES } from './migration-stack';
import { StackDatabases } from './stack-databases';

const ADMIN = { email: 'admin@example.com', password: 'admin-password' };
const PASSWORD = 'a strong password';
const CUSTOMERS = 6;
const PRODUCTS = 4;
const INITIAL_STOCK = 1_000;
/** How long the sides may take to converge after a fault has ended (the restarted process is ready). */
export const CONVERGE_WITHIN_S = 60;

export type StackProcess = (typeof STACK_DATABASES)[number];

export interface Customer {
  readonly id: string;
  readonly token: string;
}

/** A write answered 2xx: what its answer said (the state right after it) and the round it was sent in. */
export type AnsweredWrite =
  | {
      readonly kind: 'deposit';
      readonly round: number;
      readonly customerId: string;
      readonly amountCents: number;
      readonly balanceCents: number;
    }
  | {
      readonly kind: 'stock';
      readonly round: number;
      readonly productId: string;
      readonly delta: number;
      readonly stock: number;
    };

/** A write the test made itself, and the upstream that answered it (`x-strangler-upstream`). */
export type TestWrite<Kind extends AnsweredWrite['kind']> = Extract<AnsweredWrite, { kind: Kind }> & {
  readonly upstream: string | undefined;
};

/** A stock adjustment answered 5xx, or not at all: applied or not, its reason (unique) tells. */
export interface UnsureAdjustment {
  readonly productId: string;
  readonly delta: number;
  readonly reason: string;
}

/**
 * What clients were told. A deposit carries an `Idempotency-Key`, and a client sends one it was not
 * answered 2xx for again, with its key, until it is: every deposit is known. A stock adjustment takes
 * no key: one answered 5xx, or not at all, may have been applied (committed before a crash cut the
 * answer) or not, and is kept apart as unsure.
 */
export class Answered {
  readonly deposits = new Map<string, number>();
  readonly stock = new Map<string, number>();
  readonly unsureStock: UnsureAdjustment[] = [];
  readonly writes: AnsweredWrite[] = [];
  /** Requests sent from now on carry this round (a test moves it on when it starts a fault). */
  round = 0;
  requests = 0;
  ok = 0;
}

interface Deposit {
  readonly customer: Customer;
  readonly amountCents: number;
  readonly key: string;
}

/**
 * A steady mixed load through the facade (deposits on payments, stock adjustments on inventory,
 * product reads on catalog, customer reads on the monolith), recording every write answered 2xx.
 * With several facade instances, worker n sends through instance n modulo their count.
 */
class Load {
  private running = true;
  private readonly workers: Promise<void>[];

  constructor(
    private readonly facadeUrls: readonly string[],
    private readonly adminToken: string,
    private readonly customers: readonly Customer[],
    private readonly products: readonly string[],
    private readonly answered: Answered,
    concurrency = 4,
  ) {
    this.workers = Array.from({ length: concurrency }, (_, worker) => this.work(worker));
  }

  /** Resolves once `count` more requests were answered 2xx (the load flows). */
  async flowing(count: number, timeoutMs = 30_000): Promise<void> {
    const target = this.answered.ok + count;
    await eventually(
      async () => this.answered.ok,
      (ok) => ok >= target,
      timeoutMs,
    );
  }

  /** Stops sending new requests; resolves once every deposit sent was answered 2xx. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async work(worker: number): Promise<void> {
    const baseUrl = this.facadeUrls[worker % this.facadeUrls.length]!;
    let unsettled: Deposit | undefined;
    for (let n = 0; this.running; n++) {
      const customer = this.customers[(worker + n) % this.customers.length]!;
      const product = this.products[(worker + n) % this.products.length]!;
      switch (n % 4) {
        case 0:
          unsettled ??= { customer, amountCents: 1 + ((worker * 7 + n) % 50), key: randomUUID() };
          if (await this.deposit(baseUrl, unsettled)) unsettled = undefined;
          break;
        case 1:
          await this.adjustStock(baseUrl, product, n % 8 === 1 ? 3 : -1);
          break;
        case 2:
          await this.read(baseUrl, `/api/products/${product}`);
          break;
        default:
          await this.read(baseUrl, `/api/customers/${customer.id}`, customer.token);
      }
    }
    // A client finishes what it started: the deposit it has no answer for is sent again until it has.
    const last = unsettled;
    if (last) {
      await eventually(
        () => this.deposit(baseUrl, last),
        (answered) => answered,
        CONVERGE_WITHIN_S * 1_000,
      );
    }
  }

  /** Whether the deposit got its final answer (2xx, or a 4xx: nothing changed); false: send it again. */
  private async deposit(baseUrl: string, { customer, amountCents, key }: Deposit): Promise<boolean> {
    const round = this.answered.round;
    const answer = await this.attempt(baseUrl, {
      method: 'POST',
      path: `/api/customers/${customer.id}/deposits`,
      token: customer.token,
      headers: { 'idempotency-key': key },
      body: { amountCents },
    });
    if (answer && answer.status >= 200 && answer.status < 300) {
      const { balanceCents } = answer.body as { balanceCents: number };
      add(this.answered.deposits, customer.id, amountCents);
      this.answered.writes.push({ kind: 'deposit', round, customerId: customer.id, amountCents, balanceCents });
    }
    return answer !== undefined && answer.status < 500;
  }

  private async adjustStock(baseUrl: string, productId: string, delta: number): Promise<void> {
    const round = this.answered.round;
    const reason = `fault test ${randomUUID()}`;
    const answer = await this.attempt(baseUrl, {
      method: 'POST',
      path: `/api/products/${productId}/stock-adjustments`,
      token: this.adminToken,
      body: { delta, reason },
    });
    if (answer && answer.status >= 200 && answer.status < 300) {
      add(this.answered.stock, productId, delta);
      const { stock } = answer.body as { stock: number };
      this.answered.writes.push({ kind: 'stock', round, productId, delta, stock });
    } else if (!answer || answer.status >= 500) {
      this.answered.unsureStock.push({ productId, delta, reason });
    }
  }

  private async read(baseUrl: string, path: string, token?: string): Promise<void> {
    await this.attempt(baseUrl, { method: 'GET', path, token });
  }

  /** Sends one request through the facade and counts it; undefined when no answer came (a connection refused). */
  private async attempt(
    baseUrl: string,
    request: Parameters<typeof send>[1],
  ): Promise<Awaited<ReturnType<typeof send>> | undefined> {
    this.answered.requests++;
    const answer = await send(baseUrl, request).catch(() => undefined);
    if (answer && answer.status >= 200 && answer.status < 300) this.answered.ok++;
    return answer;
  }
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/** One row of a process's outbox (`outbox_events`), its data parsed. */
export interface OutboxRow {
  readonly id: string;
  readonly pattern: string;
  readonly data: Record<string, unknown>;
  readonly published: boolean;
}

/**
 * The whole stack at stage 3 (payments, inventory and catalog live), each process on a SQLite file
 * of its own in a data folder of its own, with customers and products made through the facade, a
 * load to run while a fault happens, and the checks that follow a fault: sync:verify finds every
 * side equal, every write answered 2xx is on every side once, and no event was dead-lettered.
 */
export class FaultStack {
  readonly answered = new Answered();
  private readonly customers: Customer[] = [];
  private readonly products: string[] = [];
  private adminToken = '';

  private constructor(
    readonly stack: MigrationStack,
    private readonly dataDir: string,
    private readonly redisUrl: string,
  ) {}

  /**
   * `name` names the data folder; `redisUrl` is the stack's `REDIS_URL`: where nothing listens the
   * launcher starts a redis-server of its own there (with an append-only file), otherwise the stack
   * uses the one that answers. A stack that fails to start leaves nothing behind.
   */
  static async start(
    name: string,
    redisUrl: string,
    env: Readonly<Record<string, string>> = {},
    options: MigrationStackOptions = {},
  ): Promise<FaultStack> {
    const dataDir = mkdtempSync(join(tmpdir(), `ficus-${name}-`));
    let stack: MigrationStack | undefined;
    try {
      stack = await MigrationStack.start(
        dataDir,
        StackDatabases.sqlite(dataDir, STACK_DATABASES).urls(STACK_DATABASES),
        {
          REDIS_URL: redisUrl,
          // Gaps are asked for and reported sooner than by default, and a relay that Redis refused
          // tries again within a second, so that a test run is short.
          EVENTS_GAP_REPAIR_MS: '1000',
          EVENTS_PARKED_CHECK_MS: '200',
          OUTBOX_RETRY_MAX_DELAY_MS: '1000',
          ...env,
        },
        options,
      );
      const faults = new FaultStack(stack, dataDir, redisUrl);
      await stack.applyStage(3, await stack.routingVersion());
      await faults.seed();
      return faults;
    } catch (error) {
      await stack?.stop().catch(() => undefined);
      // Whatever is left of a stack that never got ready.
      await LauncherRun.killAll();
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Stops the stack, then deletes its data folder. */
  async stop(): Promise<void> {
    try {
      await this.stack.stop();
    } finally {
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }

  /** Runs `work` with a connection to the stack's Redis, closed afterwards. */
  redis<T>(work: Parameters<typeof withRedis<T>>[0]): Promise<T> {
    return withRedis(work, this.redisUrl);
  }

  /** The stream key of an event pattern on the stack's Redis. */
  stream(pattern: string): string {
    return `${this.stack.redisPrefix}evt:${pattern}`;
  }

  /**
   * From now on Redis refuses every `XADD` (an ACL change, as an operator's mistake or a Redis
   * short of memory would make it refuse writes): relays cannot publish what their processes
   * commit, and consumers cannot ask for a gap's repair; reads and acknowledgements go on.
   */
  async refuseEventWrites(): Promise<void> {
    await this.redis((client) => client.sendCommand(['ACL', 'SETUSER', 'default', '-xadd']));
  }

  /** Redis takes `XADD` again. */
  async acceptEventWrites(): Promise<void> {
    await this.redis((client) => client.sendCommand(['ACL', 'SETUSER', 'default', '+xadd']));
  }

  /** The `n`th customer made through the facade: its id and token. */
  customer(n: number): Customer {
    const customer = this.customers[n];
    if (!customer) throw new Error(`The fault stack has ${this.customers.length} customers, not ${n + 1}`);
    return customer;
  }

  /** The id of the `n`th product made through the facade. */
  product(n: number): string {
    const product = this.products[n];
    if (!product) throw new Error(`The fault stack has ${this.products.length} products, not ${n + 1}`);
    return product;
  }

  /**
   * A deposit made by the test itself (the `n`th customer), answered 201 and counted as the load's
   * are; resolves with what it was answered and which upstream answered it.
   */
  async deposit(n: number, amountCents: number): Promise<TestWrite<'deposit'>> {
    const customer = this.customer(n);
    const answer = await send(this.stack.facadeUrl, {
      method: 'POST',
      path: `/api/customers/${customer.id}/deposits`,
      token: customer.token,
      body: { amountCents },
    });
    expect(answer.status).toBe(201);
    const { balanceCents } = answer.body as { balanceCents: number };
    add(this.answered.deposits, customer.id, amountCents);
    const write = {
      kind: 'deposit',
      round: this.answered.round,
      customerId: customer.id,
      amountCents,
      balanceCents,
    } as const;
    this.answered.writes.push(write);
    return { ...write, upstream: answer.headers['x-strangler-upstream'] };
  }

  /**
   * A stock adjustment made by the test itself (of the `n`th product), answered 201 and counted as
   * the load's are; resolves with what it was answered and which upstream answered it.
   */
  async adjustStock(n: number, delta: number): Promise<TestWrite<'stock'>> {
    const productId = this.product(n);
    const answer = await send(this.stack.facadeUrl, {
      method: 'POST',
      path: `/api/products/${productId}/stock-adjustments`,
      token: this.adminToken,
      body: { delta, reason: `fault test ${randomUUID()}` },
    });
    expect(answer.status).toBe(201);
    const { stock } = answer.body as { stock: number };
    add(this.answered.stock, productId, delta);
    const write = { kind: 'stock', round: this.answered.round, productId, delta, stock } as const;
    this.answered.writes.push(write);
    return { ...write, upstream: answer.headers['x-strangler-upstream'] };
  }

  /** The rows of a process's outbox, oldest first, read from its database file. */
  outbox(name: StackProcess, which: 'all' | 'unpublished' = 'all'): OutboxRow[] {
    const db = new Database(join(this.dataDir, `${name}.sqlite`), {
      readonly: true,
      fileMustExist: true,
      timeout: 5_000,
    });
    try {
      const where = which === 'unpublished' ? 'WHERE published_at IS NULL' : '';
      const rows = db
        .prepare(`SELECT id, pattern, data, published_at FROM outbox_events ${where} ORDER BY seq`)
        .all() as { id: string; pattern: string; data: string; published_at: string | null }[];
      return rows.map((row) => ({
        id: row.id,
        pattern: row.pattern,
        data: JSON.parse(row.data) as Record<string, unknown>,
        published: row.published_at !== null,
      }));
    } finally {
      db.close();
    }
  }

  /**
   * Runs the load, applies `fault` while it runs, lets it run on, stops it (every deposit sent is
   * answered by then), and checks that every side converged.
   */
  async underLoad(fault: () => Promise<void>): Promise<void> {
    const facades = Array.from({ length: this.stack.replicas }, (_, index) => this.stack.url('facade', index + 1));
    const load = new Load(facades, this.adminToken, this.customers, this.products, this.answered);
    try {
      await load.flowing(40);
      await fault();
      await load.flowing(40, 90_000);
    } finally {
      await load.stop();
    }
    await this.expectConverged();
  }

  /** sync:verify finds every side equal, every side holds each write answered 2xx once, and nothing was dead-lettered. */
  async expectConverged(): Promise<void> {
    const verified = await this.stack.syncVerify(CONVERGE_WITHIN_S);
    expect({ status: verified.status, differences: verified.report.differences }).toEqual({
      status: 0,
      differences: [],
    });
    expect(await this.holdings()).toEqual(this.expected());
    expect(await this.deadLetters()).toBe(0);
  }

  async deadLetters(): Promise<number> {
    return this.redis(async (client) => {
      let total = 0;
      for (const service of STACK_DATABASES) total += await client.xLen(`${this.stack.redisPrefix}dlq:${service}`);
      return total;
    });
  }

  /**
   * What the monolith holds, read from it directly, and the stock the catalog shows: sync:verify
   * has shown every other side equal to them.
   */
  private async holdings(): Promise<{ balances: Record<string, number>; stock: Record<string, number[]> }> {
    const balances: Record<string, number> = {};
    for (const customer of this.customers) {
      const read = await send(this.stack.url('legacy'), {
        method: 'GET',
        path: `/api/customers/${customer.id}`,
        token: customer.token,
      });
      balances[customer.id] = (read.body as { balanceCents: number }).balanceCents;
    }
    const stock: Record<string, number[]> = {};
    for (const product of this.products) {
      const reads = await Promise.all(
        (['legacy', 'catalog'] as const).map((name) =>
          send(this.stack.url(name), { method: 'GET', path: `/api/products/${product}` }),
        ),
      );
      stock[product] = reads.map((read) => (read.body as { stock: number }).stock);
    }
    return { balances, stock };
  }

  /**
   * What the sides must hold: each deposit answered 2xx applied once; each product's initial stock
   * with each adjustment answered 2xx applied once, and each unsure one that inventory committed:
   * its `stock.adjusted` event, which carries the request's reason as `note`, is in inventory's
   * outbox exactly when the adjustment was committed (the same transaction).
   */
  private expected(): { balances: Record<string, number>; stock: Record<string, number[]> } {
    const committed = new Set(
      this.outbox('inventory')
        .filter((row) => row.pattern === 'stock.adjusted')
        .map((row) => String(row.data.note)),
    );
    const stock = new Map(
      this.products.map((product) => [product, INITIAL_STOCK + (this.answered.stock.get(product) ?? 0)]),
    );
    for (const { productId, delta, reason } of this.answered.unsureStock) {
      if (committed.has(reason)) add(stock, productId, delta);
    }
    return {
      balances: Object.fromEntries(
        this.customers.map((customer) => [customer.id, this.answered.deposits.get(customer.id) ?? 0]),
      ),
      stock: Object.fromEntries([...stock].map(([product, total]) => [product, [total, total]])),
    };
  }

  private async seed(): Promise<void> {
    const facade = this.stack.facadeUrl;
    const token = await send(facade, { method: 'POST', path: '/api/auth/token', body: ADMIN });
    this.adminToken = (token.body as { accessToken: string }).accessToken;
    for (let n = 0; n < CUSTOMERS; n++) {
      const email = `fault-${randomUUID()}@example.com`;
      const registered = await send(facade, {
        method: 'POST',
        path: '/api/customers',
        body: { name: `Fault ${n}`, email, password: PASSWORD },
      });
      expect(registered.status).toBe(201);
      const login = await send(facade, {
        method: 'POST',
        path: '/api/auth/token',
        body: { email, password: PASSWORD },
      });
      this.customers.push({
        id: (registered.body as { id: string }).id,
        token: (login.body as { accessToken: string }).accessToken,
      });
    }
    for (let n = 0; n < PRODUCTS; n++) {
      const created = await send(facade, {
        method: 'POST',
        path: '/api/products',
        token: this.adminToken,
        body: {
          sku: `FAULT-${randomUUID().slice(0, 8).toUpperCase()}`,
          name: `Fault ${n}`,
          priceCents: 100,
          stock: INITIAL_STOCK,
        },
      });
      expect(created.status).toBe(201);
      this.products.push((created.body as { id: string }).id);
    }
  }
}
