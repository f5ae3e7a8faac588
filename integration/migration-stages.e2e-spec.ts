import { readdirSync } from 'node:fs';
import { send } from './support/answers';
import { type MigrationStack, STACK_DATABASES, type Stage, stageRules } from './support/migration-stack';
import { roundScenario, seedScenario } from './support/public-api-scenario';
import type { QuietPoint } from './support/quiet-point';
import type { ReferenceMonolith } from './support/reference-monolith';
import { type ScenarioReport, type Side, compareReads, runScenario, side } from './support/scenario-runner';
import { StackRun } from './support/stack-run';

/** How long sync:verify may wait for the last events to settle. */
const SYNC_WITHIN_S = 30;

describe('migration stages: monolith, four services, facade, Redis, each process on its own PostgreSQL database', () => {
  const run = new StackRun('stages', { reference: true });
  let databases: StackRun['databases'];
  let stack: MigrationStack;
  let reference: ReferenceMonolith;
  let quiet: QuietPoint;
  let onStack: Side;
  let alone: Side;
  /** The rules version the facade routes with. */
  let version: number;

  /** The catalog's reads equal the monolith's for every product (both read directly). */
  async function catalogDisagreements(): Promise<string[]> {
    const problems: string[] = [];
    const paths = [...onStack.ledger.products.values()].map((id) => `/api/products/${id}`);
    for (const path of ['/api/products?limit=100', ...paths]) {
      const [catalog, legacy] = await Promise.all([
        fetch(`${stack.url('catalog')}${path}`).then(async (r) => `${r.status} ${await r.text()}`),
        fetch(`${stack.url('legacy')}${path}`).then(async (r) => `${r.status} ${await r.text()}`),
      ]);
      if (catalog !== legacy) problems.push(`GET ${path}: catalog ${catalog}, monolith ${legacy}`);
    }
    return problems;
  }

  /** A quiet point of the stack: every event delivered and applied, and the catalog agrees with the monolith. */
  const settle = () => quiet.reach(catalogDisagreements);

  /** The invariants of docs/api.md on both sides, and the same products and orders on both. */
  async function expectQuietInvariants(): Promise<void> {
    await settle();
    const admin = (ledger: Side['ledger']) => ledger.adminToken;
    expect({
      stack: await onStack.ledger.invariantProblems(stack.facadeUrl),
      alone: await alone.ledger.invariantProblems(reference.url),
      products: await compareReads(stack.facadeUrl, onStack, alone, () => '/api/products?limit=100'),
      orders: await compareReads(stack.facadeUrl, onStack, alone, () => '/api/orders?limit=100', admin),
    }).toEqual({ stack: [], alone: [], products: [], orders: [] });
  }

  function expectNoDivergence(report: ScenarioReport): void {
    expect(report.divergences).toEqual([]);
  }

  beforeAll(async () => {
    await run.start();
    ({ stack, databases, quiet, reference } = run);
    onStack = side('stack', stack.facadeUrl, settle);
    alone = side('monolith alone', reference.url);

    // Version 1 is strangler/rules.yaml, loaded into the empty store.
    version = await stack.applyStage(1, 1);
    expectNoDivergence(await runScenario(seedScenario(), onStack, alone, { rules: await stageRules(1) }));
    // The services built their data from the monolith's events: the catalog serves the seed on its own port.
    await settle();
    const mug = onStack.ledger.products.get('mug');
    const fromCatalog = await send(stack.url('catalog'), { method: 'GET', path: `/api/products/${mug}` });
    expect(fromCatalog).toMatchObject({ status: 200, body: { id: mug, sku: 'SEED-MUG', stock: 18 } });
  }, 150_000);

  afterAll(() => run.close(), 60_000);

  it('gives each process its own database, whatever DATABASE_URL the launcher has', async () => {
    const ids = async (name: (typeof STACK_DATABASES)[number], sql: string) =>
      (await databases.query(name, sql)).map((row) => row.id).sort();
    const customers = [...onStack.ledger.customers.values()].map((customer) => customer.id).sort();
    const products = [...onStack.ledger.products.values()].sort();
    // Each database holds what its process keeps of the seed: the customers, wallets, products, stock.
    expect({
      legacy: await ids('legacy-monolith', 'SELECT id FROM customers'),
      payments: await ids('payments', 'SELECT customer_id AS id FROM wallets'),
      catalog: await ids('catalog', 'SELECT id FROM products'),
      inventory: await ids('inventory', 'SELECT product_id AS id FROM product_stock'),
      ordersCustomers: await ids('orders', 'SELECT customer_id AS id FROM shoppers'),
      ordersProducts: await ids('orders', 'SELECT product_id AS id FROM product_prices'),
    }).toEqual({
      legacy: customers,
      payments: customers,
      catalog: products,
      inventory: products,
      ordersCustomers: customers,
      ordersProducts: products,
    });
    // No process fell back to SQLite: neither DATABASE_URL's file nor a default one in the data folder.
    expect(readdirSync(run.dataDir).filter((file) => file.includes('.sqlite'))).toEqual([]);
  });

  it.each<[Stage, string[]]>([
    [1, ['legacy']],
    [2, ['catalog', 'legacy']],
    [3, ['catalog', 'inventory', 'legacy', 'payments']],
    [4, ['catalog', 'inventory', 'legacy', 'orders', 'payments']],
  ])(
    'at stage %d every answer through the facade is the monolith alone’s, and the invariants hold',
    async (stage, upstreams) => {
      if (stage > 1) version = await stack.applyStage(stage, version);
      const report = await runScenario(roundScenario(stage), onStack, alone, { rules: await stageRules(stage) });
      expectNoDivergence(report);
      expect(Object.keys(report.upstreams).sort()).toEqual(upstreams);
      await expectQuietInvariants();
    },
    60_000,
  );

  it('back at stage 1, the monolith shows every change the services made (orders too), and answers as before', async () => {
    version = await stack.applyStage(1, version);
    await settle();
    // Directly on the monolith's port: the deposits payments took, the products catalog created,
    // the adjustments inventory made and the balances and stocks that follow.
    expect(await onStack.ledger.invariantProblems(stack.url('legacy'))).toEqual([]);
    const customers = [...onStack.ledger.customers.keys()];
    for (const name of customers) {
      const path = (ledger: Side['ledger']) => `/api/customers/${ledger.customerId(name)}`;
      expect(await compareReads(stack.url('legacy'), onStack, alone, path, (l) => l.adminToken)).toEqual([]);
    }
    expect(await compareReads(stack.url('legacy'), onStack, alone, () => '/api/products?limit=100')).toEqual([]);

    const report = await runScenario(roundScenario(5), onStack, alone, { rules: await stageRules(1) });
    expectNoDivergence(report);
    expect(Object.keys(report.upstreams)).toEqual(['legacy']);
    await expectQuietInvariants();
  }, 60_000);

  it('a 50 % canary of deposits sticky by jwt.sub keeps each customer on one side, and every balance exact', async () => {
    version = await stack.applyStage(3, version);
    version = await stack.setGroup('payments', version, 'half the wallets', '--mode', 'canary', '--percent', '50');

    const facade = stack.facadeUrl;
    const customers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const email = `canary-${i}@example.com`;
        const password = 'a strong password';
        const registered = await send(facade, {
          method: 'POST',
          path: '/api/customers',
          body: { name: `Canary ${i}`, email, password },
        });
        const token = await send(facade, { method: 'POST', path: '/api/auth/token', body: { email, password } });
        return {
          id: (registered.body as { id: string }).id,
          token: (token.body as { accessToken: string }).accessToken,
        };
      }),
    );
    // Payments learns of the new customers from customer.registered.
    await settle();

    const results = await Promise.all(
      customers.map(async (customer, i) => {
        const sides = new Set<string>();
        let total = 0;
        for (let n = 1; n <= 5; n++) {
          const amountCents = 100 * (i + 1) + n;
          const answer = await send(facade, {
            method: 'POST',
            path: `/api/customers/${customer.id}/deposits`,
            token: customer.token,
            body: { amountCents },
          });
          total += amountCents;
          // Each answer is exact: one side writes this wallet, and it has every earlier deposit.
          expect({ status: answer.status, body: answer.body }).toEqual({
            status: 201,
            body: { customerId: customer.id, amountCents, balanceCents: total },
          });
          sides.add(answer.headers['x-strangler-upstream'] ?? 'none');
        }
        return { ...customer, sides: [...sides], total };
      }),
    );
    expect(results.filter((r) => r.sides.length !== 1)).toEqual([]);
    const bySide = new Set(results.map((r) => r.sides[0]));
    expect([...bySide].sort()).toEqual(['legacy', 'payments']);

    // Once the wallet events are applied, the monolith shows every balance, whoever took the deposits.
    await settle();
    for (const customer of results) {
      for (const url of [stack.url('legacy'), facade]) {
        const read = await send(url, { method: 'GET', path: `/api/customers/${customer.id}`, token: customer.token });
        expect({
          id: customer.id,
          status: read.status,
          balance: (read.body as { balanceCents: number }).balanceCents,
        }).toEqual({
          id: customer.id,
          status: 200,
          balance: customer.total,
        });
      }
    }
  }, 60_000);

  it(
    'ends with every side equal: sync:verify compares every database and finds no difference',
    async () => {
      const verified = await stack.syncVerify(SYNC_WITHIN_S);
      expect({ status: verified.status, differences: verified.report.differences }).toEqual({
        status: 0,
        differences: [],
      });
      // It compared the customers' wallets and the products of the run, not empty tables.
      const compared = Object.fromEntries(
        Object.entries(verified.report.kinds ?? {}).map(([kind, { compared }]) => [kind, compared > 0]),
      );
      expect(compared).toEqual({ wallets: true, stock: true, products: true, orders: true });
    },
    (SYNC_WITHIN_S + 30) * 1_000,
  );
});
