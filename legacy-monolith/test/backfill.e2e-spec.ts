import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { eventually, publishEvent, readEvents } from '../../tools/testing/test-streams';
import { BACKFILL_BATCH_SIZE } from '../src/backfill/backfill.service';
import { LegacyHarness, TEST_JWT_SECRET, bearer } from './support/legacy-harness';
import { paymentsDeposit } from './support/payments-events';
import { RestartableLegacy } from './support/restartable-legacy';

type Data = Record<string, unknown>;

const ROOT = join(__dirname, '..', '..');

/** Runs `npm run backfill:legacy`'s compiled entry point; resolves with its exit code and output. */
function runBackfillCommand(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/legacy-monolith/src/backfill/backfill.main.js')], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe.each(['sqlite', 'postgres'] as const)('backfill of the monolith state as snapshot events (%s)', (kind) => {
  let legacy: LegacyHarness;
  beforeAll(async () => {
    legacy = await LegacyHarness.start({ database: kind });
  });
  afterAll(() => legacy.close());

  // The launcher's first start: the backfill runs on a database with no customer and no product yet.
  it('on a fresh database, answers that there was nothing to snapshot', async () => {
    const admin = bearer(await legacy.adminToken());
    await legacy.http().post('/api/admin/backfill').set(admin).expect(200, { customers: 0, products: 0 });
  });

  it('is admin-only', async () => {
    const customer = await legacy.registerCustomer();
    await legacy.http().post('/api/admin/backfill').expect(401);
    const refused = await legacy.http().post('/api/admin/backfill').set(bearer(customer.token)).expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
  });

  it('publishes every customer with the balance and every product with the stock, with the sequences they reflect; twice is harmless', async () => {
    const customer = await legacy.customerWith(2_000);
    // A change payments made, applied here: the snapshot must say it reflects it.
    await publishEvent(legacy.redisPrefix, 'wallet.credited', paymentsDeposit(customer.id, 1, 500, 2_500));
    await eventually(
      () => legacy.balance(customer),
      (balance) => balance === 2_500,
    );
    const product = await legacy.createProduct({ name: 'Kettle', priceCents: 3_000, stock: 2 });
    await legacy.adjustStock(product.id, 3);
    const shown = await legacy.product(product.id);
    const admin = bearer(await legacy.adminToken());
    const first = await legacy.http().post('/api/admin/backfill').set(admin).expect(200);
    const total = (path: string) => legacy.http().get(path).set(admin);
    const productTotal = ((await total('/api/products')).body as { total: number }).total;
    // Every customer registered in this database so far (this test file's).
    expect(first.body).toEqual({ customers: expect.any(Number), products: productTotal });
    expect(first.body.customers).toBeGreaterThanOrEqual(2);

    const customerSnapshots = await eventually(
      () => readEvents<Data>(legacy.redisPrefix, 'customer.snapshot'),
      (events) => events.length === first.body.customers,
    );
    const mine = customerSnapshots.filter((e) => e.data.customerId === customer.id);
    expect(mine.map((e) => e.data)).toEqual([
      expect.objectContaining({
        aggregateId: customer.id,
        origin: 'legacy-monolith',
        name: customer.name,
        email: customer.email,
        balanceCents: 2_500,
        // registered (1) and the deposit (2) here; one credit applied from payments.
        sequences: { 'legacy-monolith': 2, payments: 1 },
      }),
    ]);
    expect(mine[0]!.data).not.toHaveProperty('sequence');
    const productSnapshots = await eventually(
      () => readEvents<Data>(legacy.redisPrefix, 'product.snapshot'),
      (events) => events.length === productTotal,
    );
    expect(productSnapshots.find((e) => e.data.productId === product.id)?.data).toEqual(
      expect.objectContaining({
        sku: product.sku,
        name: 'Kettle',
        priceCents: 3_000,
        stock: 5,
        createdAt: shown.createdAt,
        updatedAt: shown.updatedAt,
        sequences: { 'legacy-monolith': 2 },
      }),
    );

    await legacy.http().post('/api/admin/backfill').set(admin).expect(200, first.body);
    const again = await eventually(
      () => readEvents<Data>(legacy.redisPrefix, 'customer.snapshot'),
      (events) => events.length === 2 * first.body.customers,
    );
    const twice = again.filter((e) => e.data.customerId === customer.id);
    expect(twice).toHaveLength(2);
    const strip = ({ id: _id, occurredAt: _at, ...rest }: Data) => rest;
    expect(strip(twice[1]!.data)).toEqual(strip(twice[0]!.data));
    // Snapshots change nothing in the monolith itself.
    expect(await legacy.balance(customer)).toBe(2_500);
  });

  it('snapshots every product exactly once when there are more than a batch of them', async () => {
    const admin = bearer(await legacy.adminToken());
    const created = new Set<string>();
    for (let i = 0; i <= BACKFILL_BATCH_SIZE; i++) created.add((await legacy.createProduct({ name: `Batch ${i}` })).id);
    const listed = await legacy.http().get('/api/products').query({ limit: 1 }).set(admin).expect(200);
    const total = (listed.body as { total: number }).total;
    expect(total).toBeGreaterThan(BACKFILL_BATCH_SIZE);

    const run = await legacy.http().post('/api/admin/backfill').set(admin).expect(200);
    expect(run.body).toEqual({ customers: expect.any(Number), products: total });
    // Only this test's products: the earlier tests' backfills of the others may still be arriving.
    const ours = (events: { data: Data }[]) => events.filter((e) => created.has(String(e.data.productId)));
    const snapshots = await eventually(
      async () => ours(await readEvents<Data>(legacy.redisPrefix, 'product.snapshot')),
      (events) => events.length >= created.size,
    );
    const ids = snapshots.map((e) => e.data.productId);
    expect(ids).toHaveLength(created.size);
    expect(new Set(ids).size).toBe(created.size);
  });
});

describe('npm run backfill:legacy', () => {
  const databases: RestartableLegacy[] = [];
  afterAll(() => Promise.all(databases.map((database) => database.destroy())));

  async function freshDatabase(kind: 'sqlite' | 'postgres'): Promise<RestartableLegacy> {
    const database = await RestartableLegacy.create(kind);
    databases.push(database);
    return database;
  }

  const backfill = (database: RestartableLegacy) =>
    runBackfillCommand({
      DATABASE_URL: database.database.url,
      REDIS_PREFIX: database.redisPrefix,
      JWT_SECRET: TEST_JWT_SECRET,
    });

  it('publishes the snapshots of a stopped monolith and exits 0', async () => {
    const database = await freshDatabase('sqlite');
    const instance = await database.start();
    const registered = await instance.shop.register({
      name: 'Backfilled',
      email: 'backfilled@example.com',
      password: 'a strong password',
    });
    expect(registered.status).toBe(201);
    await database.stop(instance);

    const run = await backfill(database);
    expect(run).toEqual({ code: 0, output: expect.stringContaining('Published 1 customer and 0 product snapshots') });
    const snapshots = await readEvents<Data>(database.redisPrefix, 'customer.snapshot');
    expect(snapshots.map((e) => e.data.customerId)).toEqual([registered.body.id]);
  });

  // What `npm start` does on its first start: the monolith migrates a fresh database, then the backfill runs.
  it('exits 0 on a fresh PostgreSQL database, with nothing to publish', async () => {
    const database = await freshDatabase('postgres');
    await database.stop(await database.start());

    const run = await backfill(database);
    expect(run).toEqual({ code: 0, output: expect.stringContaining('Published 0 customer and 0 product snapshots') });
    expect(await readEvents<Data>(database.redisPrefix, 'customer.snapshot')).toEqual([]);
  });

  it('fails with a clear message when the configuration is wrong', async () => {
    const run = await runBackfillCommand({ DATABASE_URL: 'mysql://nowhere', JWT_SECRET: TEST_JWT_SECRET });
    expect(run.code).toBe(1);
    expect(run.output).toContain('DATABASE_URL');
  });
});
