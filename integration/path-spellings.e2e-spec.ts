import { type ApiAnswer, type ApiRequest, send } from './support/answers';
import type { MigrationStack } from './support/migration-stack';
import { ADMIN } from './support/public-api-scenario';
import type { QuietPoint } from './support/quiet-point';
import { StackRun } from './support/stack-run';

/** The integration events of the moved writes: who records one of these executed the write. */
const WRITE_EVENTS = ['wallet.credited', 'stock.adjusted', 'product.created'];

describe('at stage 3, every spelling of a moved write is executed by its service, never by the monolith', () => {
  const run = new StackRun('spellings');
  let databases: StackRun['databases'];
  let stack: MigrationStack;
  let quiet: QuietPoint;
  let adminToken: string;
  let customer: { id: string; token: string };
  let productId: string;

  const settle = () => quiet.reach(async () => []);

  async function expectAnswer(request: ApiRequest, status: number): Promise<ApiAnswer> {
    const answer = await send(stack.facadeUrl, request);
    expect({ path: request.path, status: answer.status }).toEqual({ path: request.path, status });
    return answer;
  }

  beforeAll(async () => {
    await run.start();
    ({ stack, databases, quiet } = run);
    // Version 1 is strangler/rules.yaml, loaded into the empty store.
    await stack.applyStage(3, 1);

    // A customer, and a product, each spelled as the rules spell them.
    const admin = await expectAnswer({ method: 'POST', path: '/api/auth/token', body: ADMIN }, 200);
    adminToken = (admin.body as { accessToken: string }).accessToken;
    const email = 'spellings@example.com';
    const password = 'a strong password';
    const registered = await expectAnswer(
      { method: 'POST', path: '/api/customers', body: { name: 'Spellings', email, password } },
      201,
    );
    const token = await expectAnswer({ method: 'POST', path: '/api/auth/token', body: { email, password } }, 200);
    customer = {
      id: (registered.body as { id: string }).id,
      token: (token.body as { accessToken: string }).accessToken,
    };
    const product = await expectAnswer(
      {
        method: 'POST',
        path: '/api/products',
        token: adminToken,
        body: { sku: 'SPELL-BASE', name: 'Spelled mug', priceCents: 900, stock: 5 },
      },
      201,
    );
    productId = (product.body as { id: string }).id;
    // Payments learns of the customer, inventory of the product, from their events.
    await settle();
  }, 150_000);

  afterAll(() => run.close(), 60_000);

  it('answers deposits, stock adjustments and product creation from the services, and the monolith learns them from their events', async () => {
    // [path, status]: an Express router does not decode a path before routing it, so a service
    // answers 404 to an encoded letter, as the monolith would: such a spelling is executed nowhere.
    const deposits: [string, number][] = [
      [`/API/customers/${customer.id}/deposits`, 201],
      [`/api/customers/${customer.id}/Deposits`, 201],
      [`/Api/Customers/${customer.id}/DEPOSITS/`, 201],
      [`/api/customers/${customer.id}/%64eposits`, 404],
    ];
    const adjustments: [string, number][] = [
      [`/API/products/${productId}/stock-adjustments`, 201],
      [`/api/Products/${productId}/Stock-Adjustments/`, 201],
      [`/api/products/${productId}/stock%2Dadjustments`, 404],
    ];
    const creations: [string, number][] = [
      ['/API/products', 201],
      ['/api/Products/', 201],
      ['/%61pi/PRODUCTS', 404],
    ];

    const seen: { path: string; status: number; upstream: string | undefined }[] = [];
    const post = async (path: string, token: string, body: unknown) => {
      const answer = await send(stack.facadeUrl, { method: 'POST', path, token, body });
      seen.push({ path, status: answer.status, upstream: answer.headers['x-strangler-upstream'] });
      return answer;
    };
    let balance = 0;
    let lastDeposit: unknown;
    for (const [i, [path]] of deposits.entries()) {
      const amountCents = 1_000 * (i + 1);
      const answer = await post(path, customer.token, { amountCents });
      if (answer.status === 201) {
        balance += amountCents;
        lastDeposit = answer.body;
      }
    }
    let stock = 5;
    let lastAdjustment: unknown;
    for (const [i, [path]] of adjustments.entries()) {
      const answer = await post(path, adminToken, { delta: i + 2, reason: `spelling ${i}` });
      if (answer.status === 201) {
        stock += i + 2;
        lastAdjustment = answer.body;
      }
    }
    const created: string[] = [];
    for (const [i, [path]] of creations.entries()) {
      const answer = await post(path, adminToken, { sku: `SPELL-${i}`, name: `Spelled ${i}`, priceCents: 100 + i });
      if (answer.status === 201) created.push((answer.body as { id: string }).id);
    }

    // Each write was answered by the service its route moved to.
    const expected =
      (upstream: string) =>
      ([path, status]: [string, number]) => ({ path, status, upstream });
    expect(seen).toEqual([
      ...deposits.map(expected('payments')),
      ...adjustments.map(expected('inventory')),
      ...creations.map(expected('catalog')),
    ]);
    expect(lastDeposit).toEqual({ customerId: customer.id, amountCents: 3_000, balanceCents: balance });
    expect(lastAdjustment).toEqual({ productId, delta: 3, stock });

    await settle();
    const aggregates = [customer.id, productId, ...created];
    const list = aggregates.map((id) => `'${id}'`).join(', ');
    // The monolith recorded none of these writes as its own: it executed none of them…
    const ownEvents = await databases.query(
      'legacy-monolith',
      `SELECT pattern, aggregate_id FROM outbox_events
        WHERE pattern IN (${WRITE_EVENTS.map((pattern) => `'${pattern}'`).join(', ')}) AND aggregate_id IN (${list})`,
    );
    expect(ownEvents).toEqual([]);
    // …it applied the services' events for them…
    const applied = await databases.query(
      'legacy-monolith',
      `SELECT aggregate_id AS id, origin FROM inbox_sequences WHERE aggregate_id IN (${list}) ORDER BY origin`,
    );
    const originsOf = (id: string) => applied.filter((row) => row.id === id).map((row) => row.origin);
    expect(originsOf(customer.id)).toContain('payments');
    expect(originsOf(productId)).toContain('inventory');
    for (const id of created) expect(originsOf(id)).toContain('catalog');
    expect(applied.filter((row) => row.origin === 'legacy-monolith')).toEqual([]);

    // …and answers with every change, on its own port.
    const legacy = stack.url('legacy');
    const wallet = await send(legacy, { method: 'GET', path: `/api/customers/${customer.id}`, token: customer.token });
    const product = await send(legacy, { method: 'GET', path: `/api/products/${productId}` });
    const products = await Promise.all(
      created.map(async (id) => (await send(legacy, { method: 'GET', path: `/api/products/${id}` })).status),
    );
    expect({
      balance: (wallet.body as { balanceCents: number }).balanceCents,
      stock: (product.body as { stock: number }).stock,
      products,
    }).toEqual({ balance, stock, products: created.map(() => 200) });
  }, 60_000);
});
