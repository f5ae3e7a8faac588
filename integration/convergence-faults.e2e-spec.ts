import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { REPO_ROOT, freePort } from '../tools/stack/test/support/launcher';
import { eventually } from '../tools/testing/test-streams';
import { send } from './support/answers';
import { MigrationStack, STACK_DATABASES } from './support/migration-stack';

const run = promisify(execFile);
const SYNC_VERIFY = join(REPO_ROOT, 'dist/tools/sync/src/main.js');
const ADMIN = { email: 'admin@example.com', password: 'admin-password' };
const PASSWORD = 'a strong password';
const CUSTOMERS = 6;
const PRODUCTS = 4;
/** How long the sides may take to converge after a fault has ended (the restarted process is ready). */
const CONVERGE_WITHIN_S = 60;

interface Customer {
  readonly id: string;
  readonly token: string;
}

/** What clients were told was done: every 2xx answer, per aggregate. */
class Answered {
  readonly deposits = new Map<string, number>();
  readonly stock = new Map<string, number>();
  requests = 0;
  ok = 0;
}

/**
 * A steady mixed load through the facade (deposits on payments, stock adjustments on inventory,
 * product reads on catalog, customer reads on the monolith), recording every write answered 2xx.
 * Requests that fail during a fault are simply not counted: a client was told they did not happen.
 */
class Load {
  private running = true;
  private readonly workers: Promise<void>[];

  constructor(
    private readonly baseUrl: string,
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

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async work(worker: number): Promise<void> {
    for (let n = 0; this.running; n++) {
      const customer = this.customers[(worker + n) % this.customers.length]!;
      const product = this.products[(worker + n) % this.products.length]!;
      try {
        switch (n % 4) {
          case 0: {
            const amountCents = 1 + ((worker * 7 + n) % 50);
            const answer = await send(this.baseUrl, {
              method: 'POST',
              path: `/api/customers/${customer.id}/deposits`,
              token: customer.token,
              body: { amountCents },
            });
            this.count(answer.status, () => add(this.answered.deposits, customer.id, amountCents));
            break;
          }
          case 1: {
            const delta = n % 8 === 1 ? 3 : -1;
            const answer = await send(this.baseUrl, {
              method: 'POST',
              path: `/api/products/${product}/stock-adjustments`,
              token: this.adminToken,
              body: { delta, reason: 'fault test' },
            });
            this.count(answer.status, () => add(this.answered.stock, product, delta));
            break;
          }
          case 2:
            this.count((await send(this.baseUrl, { method: 'GET', path: `/api/products/${product}` })).status);
            break;
          default:
            this.count(
              (
                await send(this.baseUrl, {
                  method: 'GET',
                  path: `/api/customers/${customer.id}`,
                  token: customer.token,
                })
              ).status,
            );
        }
      } catch {
        // A connection refused while the facade's upstream restarts: not answered, not counted.
        this.answered.requests++;
      }
    }
  }

  private count(status: number, onSuccess?: () => void): void {
    this.answered.requests++;
    if (status >= 200 && status < 300) {
      this.answered.ok++;
      onSuccess?.();
    }
  }
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

interface SyncReport {
  readonly differences: readonly unknown[];
}

describe('convergence after faults: a process SIGKILLed, Redis restarted with and without its data, a stream trimmed, a group deleted', () => {
  let dataDir: string;
  let stack: MigrationStack;
  let redisUrl: string;
  let prefix: string;
  let adminToken: string;
  const customers: Customer[] = [];
  const products: string[] = [];
  const initialStock = new Map<string, number>();
  const answered = new Answered();

  const connect = () => createClient({ url: redisUrl });
  const redis = async <T>(work: (client: ReturnType<typeof connect>) => Promise<T>): Promise<T> => {
    const client = connect();
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      client.destroy();
    }
  };

  /** `npm run sync:verify -- --wait … --json` against the stack's databases: its exit status and report. */
  async function syncVerify(): Promise<{ status: number; report: SyncReport; output: string }> {
    const env = {
      ...process.env,
      STACK_DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${join(dataDir, 'not-to-be-used.sqlite')}`,
      LEGACY_DATABASE_URL: `sqlite:${join(dataDir, 'legacy-monolith.sqlite')}`,
      CATALOG_DATABASE_URL: `sqlite:${join(dataDir, 'catalog.sqlite')}`,
      INVENTORY_DATABASE_URL: `sqlite:${join(dataDir, 'inventory.sqlite')}`,
      PAYMENTS_DATABASE_URL: `sqlite:${join(dataDir, 'payments.sqlite')}`,
    };
    const args = [SYNC_VERIFY, '--wait', String(CONVERGE_WITHIN_S), '--json'];
    try {
      const { stdout } = await run(process.execPath, args, { cwd: REPO_ROOT, env });
      return { status: 0, report: JSON.parse(stdout.trim().split('\n').at(-1)!) as SyncReport, output: stdout };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      const last = failed.stdout?.trim().split('\n').at(-1);
      return {
        status: failed.code ?? -1,
        report: last?.startsWith('{') ? (JSON.parse(last) as SyncReport) : { differences: [] },
        output: `${failed.stdout}\n${failed.stderr}`,
      };
    }
  }

  /**
   * What the monolith holds, read from it directly, and the stock the catalog shows: sync:verify
   * has shown every other side equal to them.
   */
  async function holdings(): Promise<{ balances: Record<string, number>; stock: Record<string, number[]> }> {
    const balances: Record<string, number> = {};
    for (const customer of customers) {
      const read = await send(stack.url('legacy'), {
        method: 'GET',
        path: `/api/customers/${customer.id}`,
        token: customer.token,
      });
      balances[customer.id] = (read.body as { balanceCents: number }).balanceCents;
    }
    const stock: Record<string, number[]> = {};
    for (const product of products) {
      const reads = await Promise.all(
        (['legacy', 'catalog'] as const).map((name) =>
          send(stack.url(name), { method: 'GET', path: `/api/products/${product}` }),
        ),
      );
      stock[product] = reads.map((read) => (read.body as { stock: number }).stock);
    }
    return { balances, stock };
  }

  /** What the sides must hold: each write answered 2xx, applied once. */
  function expected(): { balances: Record<string, number>; stock: Record<string, number[]> } {
    return {
      balances: Object.fromEntries(customers.map((customer) => [customer.id, answered.deposits.get(customer.id) ?? 0])),
      stock: Object.fromEntries(
        products.map((product) => {
          const total = (initialStock.get(product) ?? 0) + (answered.stock.get(product) ?? 0);
          return [product, [total, total]];
        }),
      ),
    };
  }

  async function deadLetters(): Promise<number> {
    return redis(async (client) => {
      let total = 0;
      for (const service of STACK_DATABASES) total += await client.xLen(`${prefix}dlq:${service}`);
      return total;
    });
  }

  /** How many times `pattern` has been printed by the launcher so far. */
  const printed = (pattern: RegExp) => stack.output.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

  async function waitPrinted(pattern: RegExp, times: number, timeoutMs = 90_000): Promise<void> {
    await eventually(
      async () => printed(pattern),
      (count) => count >= times,
      timeoutMs,
    );
  }

  /** The pid the launcher last started `name` with. */
  function pidOf(name: string): number {
    const matches = [...stack.output.matchAll(new RegExp(`Started ${name} \\(pid (\\d+)\\)`, 'g'))];
    return Number(matches.at(-1)![1]);
  }

  /** Runs the load, applies `fault` while it runs, lets it run on, stops it, and checks convergence. */
  async function underLoad(fault: () => Promise<void>): Promise<void> {
    const load = new Load(stack.facadeUrl, adminToken, customers, products, answered);
    try {
      await load.flowing(40);
      await fault();
      await load.flowing(40, 90_000);
    } finally {
      await load.stop();
    }
    const verified = await syncVerify();
    expect({ status: verified.status, differences: verified.report.differences }).toEqual({
      status: 0,
      differences: [],
    });
    expect(await holdings()).toEqual(expected());
    expect(await deadLetters()).toBe(0);
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ficus-faults-'));
    // Nothing listens there: the launcher starts a redis-server of its own, with an append-only file.
    redisUrl = `redis://127.0.0.1:${await freePort()}`;
    stack = await MigrationStack.start(
      dataDir,
      {
        'legacy-monolith': `sqlite:${join(dataDir, 'legacy-monolith.sqlite')}`,
        catalog: `sqlite:${join(dataDir, 'catalog.sqlite')}`,
        inventory: `sqlite:${join(dataDir, 'inventory.sqlite')}`,
        payments: `sqlite:${join(dataDir, 'payments.sqlite')}`,
      },
      {
        REDIS_URL: redisUrl,
        // Gaps are asked for and reported sooner than by default, so that a test run is short.
        EVENTS_GAP_REPAIR_MS: '1000',
        EVENTS_PARKED_CHECK_MS: '200',
      },
    );
    prefix = stack.redisPrefix;
    await stack.applyStage(3, await stack.routingVersion());

    const token = await send(stack.facadeUrl, { method: 'POST', path: '/api/auth/token', body: ADMIN });
    adminToken = (token.body as { accessToken: string }).accessToken;
    for (let n = 0; n < CUSTOMERS; n++) {
      const email = `fault-${randomUUID()}@example.com`;
      const registered = await send(stack.facadeUrl, {
        method: 'POST',
        path: '/api/customers',
        body: { name: `Fault ${n}`, email, password: PASSWORD },
      });
      expect(registered.status).toBe(201);
      const login = await send(stack.facadeUrl, {
        method: 'POST',
        path: '/api/auth/token',
        body: { email, password: PASSWORD },
      });
      customers.push({
        id: (registered.body as { id: string }).id,
        token: (login.body as { accessToken: string }).accessToken,
      });
    }
    for (let n = 0; n < PRODUCTS; n++) {
      const created = await send(stack.facadeUrl, {
        method: 'POST',
        path: '/api/products',
        token: adminToken,
        body: {
          sku: `FAULT-${randomUUID().slice(0, 8).toUpperCase()}`,
          name: `Fault ${n}`,
          priceCents: 100,
          stock: 1_000,
        },
      });
      expect(created.status).toBe(201);
      const id = (created.body as { id: string }).id;
      products.push(id);
      initialStock.set(id, 1_000);
    }
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it.each(['payments', 'legacy-monolith', 'inventory', 'catalog'])(
    'SIGKILL of %s under load: started again, every side equal, every 2xx answer on every side, no dead letter',
    async (name) => {
      const readyAgain = new RegExp(`${name} is ready again`);
      const before = printed(readyAgain);
      await underLoad(async () => {
        process.kill(pidOf(name), 'SIGKILL');
        await waitPrinted(readyAgain, before + 1);
      });
    },
    240_000,
  );

  it('Redis SIGKILLed under load and started again from its append-only file: every side equal', async () => {
    const started = /started redis-server \(pid (\d+)\)/g;
    const before = printed(started);
    await underLoad(async () => {
      const pid = Number([...stack.output.matchAll(started)].at(-1)![1]);
      process.kill(pid, 'SIGKILL');
      await waitPrinted(started, before + 1);
    });
  }, 240_000);

  it('Redis losing all its data under load (FLUSHALL, as a restart without its files): every side equal, the rules kept', async () => {
    const version = await stack.routingVersion();
    await underLoad(async () => {
      await redis((client) => client.flushAll());
    });
    // The facade restored its rules (and their history) from its own copy: it routes as before.
    expect(await stack.routingVersion()).toBeGreaterThanOrEqual(version);
    // Every writing side noticed that Redis no longer held what it had published, and published it again.
    // (Each looks at Redis's mark every second, or when it publishes next.)
    const republished = async (name: 'legacy' | 'payments' | 'inventory') => {
      const metrics = await (await fetch(`${stack.url(name)}/metrics`)).text();
      return Number(/^outbox_republished_total\{[^}]*\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
    };
    const counts = async () => [
      await republished('legacy'),
      await republished('payments'),
      await republished('inventory'),
    ];
    await eventually(counts, (found) => found.every((count) => count > 0), 30_000);
    expect((await counts()).map((count) => count > 0)).toEqual([true, true, true]);
    const again = await syncVerify();
    expect({ status: again.status, differences: again.report.differences }).toEqual({ status: 0, differences: [] });
  }, 240_000);

  it('a stream trimmed past unread entries and a consumer group deleted, under load: every side equal', async () => {
    await underLoad(async () => {
      await redis(async (client) => {
        await client.xTrim(`${prefix}evt:wallet.credited`, 'MAXLEN', 0);
        await client.xGroupDestroy(`${prefix}evt:stock.adjusted`, 'catalog');
      });
    });
  }, 240_000);
});
