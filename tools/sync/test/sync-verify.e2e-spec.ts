import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGGREGATE_KINDS } from '../src/kinds';
import { locateSides } from '../src/side-locations';
import type { SyncReport } from '../src/sync-report';
import { verifySync } from '../src/verify-sync';
import { LegacyShop } from './support/legacy-shop';
import { ShopSides } from './support/shop-sides';
import { REPO_ROOT, SyncRun } from './support/sync-run';
import { TEST_REDIS_URL } from '../../testing/test-redis';
import { eventually, readEvents, withRedis } from '../../testing/test-streams';

/** Deletes the entries of `pattern`'s stream that are about `aggregateId`: events lost before a side read them. */
async function loseEvents(prefix: string, pattern: string, aggregateId: string): Promise<number> {
  const lost = (await readEvents<{ aggregateId?: string }>(prefix, pattern)).filter(
    (entry) => entry.data.aggregateId === aggregateId,
  );
  if (lost.length === 0) return 0;
  return withRedis((redis) =>
    redis.xDel(
      `${prefix}evt:${pattern}`,
      lost.map((entry) => entry.entryId),
    ),
  );
}

/** What payments' outbox purge does past `OUTBOX_RETENTION_HOURS`: its published events of the aggregate are gone. */
async function purgePublishedOnPostgres(databaseUrl: string, aggregateId: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const unpublished = async () =>
      Number(
        (
          await client.query<{ count: string }>(
            'SELECT COUNT(*) AS count FROM outbox_events WHERE aggregate_id = $1 AND published_at IS NULL',
            [aggregateId],
          )
        ).rows[0]?.count,
      );
    await eventually(unpublished, (count) => count === 0);
    const { rowCount } = await client.query('DELETE FROM outbox_events WHERE aggregate_id = $1', [aggregateId]);
    return rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/** The same on a SQLite side (inventory's). */
async function purgePublishedOnSqlite(databaseUrl: string, aggregateId: string): Promise<number> {
  const database = new Database(databaseUrl.slice('sqlite:'.length));
  try {
    const unpublished = database.prepare(
      'SELECT COUNT(*) AS count FROM outbox_events WHERE aggregate_id = ? AND published_at IS NULL',
    );
    await eventually(
      async () => (unpublished.get(aggregateId) as { count: number }).count,
      (count) => count === 0,
    );
    return database.prepare('DELETE FROM outbox_events WHERE aggregate_id = ?').run(aggregateId).changes;
  } finally {
    database.close();
  }
}

jest.setTimeout(120_000);

describe('npm run sync:verify on the databases of running and stopped processes', () => {
  let sides: ShopSides;
  let shop: LegacyShop;
  let customer: { id: string; token: string };
  let product: { id: string; sku: string; name: string; priceCents: number };
  const runs: SyncRun[] = [];

  /** One in-process check of the kinds, as `--wait` would make it, until `done` holds for the report. */
  const settles = (kinds: string[], done: (report: SyncReport) => boolean = (report) => report.equal) =>
    (async () => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const report = await verifySync(
          { kinds: AGGREGATE_KINDS.filter((candidate) => kinds.includes(candidate.name)), waitMs: 0 },
          locateSides(sides.toolEnv, REPO_ROOT),
        );
        if (done(report) || Date.now() > deadline) return report;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

  const start = (args: string[], env = sides.toolEnv) => {
    const run = SyncRun.start(args, env);
    runs.push(run);
    return run;
  };

  beforeAll(async () => {
    sides = await ShopSides.start();
    shop = new LegacyShop(() => sides.url('legacy-monolith'));
    customer = await shop.registerCustomer();
    const penniless = await shop.registerCustomer();
    await shop.deposit(customer, 1_000);
    product = await shop.createProduct(10);
    await shop.createProduct(4);
    await shop.adjustStock(product.id, -2);
    // An order the monolith rejects (no money): the orders service keeps it too, and nothing else changes.
    expect(await shop.placeOrder(penniless, product.id, 1)).toBe('REJECTED');
    // The other sides apply the monolith's events; a check made before then would see them in flight.
    expect(await settles(['wallets', 'stock', 'products', 'orders'])).toMatchObject({ equal: true });
  });

  afterEach(() => {
    for (const run of runs.splice(0)) run.kill();
  });

  afterAll(async () => {
    await sides?.close();
  });

  it('says all equal and exits 0 when every side holds the same', async () => {
    const { status, lines, stderr } = await SyncRun.run([], sides.toolEnv);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(lines).toEqual([
      'All equal: wallets 2 customers on legacy-monolith, payments; stock 2 products on legacy-monolith, ' +
        'inventory, catalog; products 2 products on legacy-monolith, catalog; orders 1 order on legacy-monolith, orders.',
    ]);
  });

  it('prints a wallet that differs (payments on PostgreSQL, stopped), with both values and vectors, and exits 1', async () => {
    await sides.stopSide('payments');
    await shop.deposit(customer, 500);

    const { status, lines } = await SyncRun.run([], sides.toolEnv);
    expect(status).toBe(1);
    expect(lines).toEqual([
      `wallets customer ${customer.id}: balanceCents differs | legacy-monolith balanceCents=1500 vector ` +
        '{legacy-monolith:3} | payments balanceCents=1000 vector {legacy-monolith:2} | ' +
        'payments has not applied legacy-monolith 3',
      '1 difference: wallets 1 of 2 customers, stock 0 of 2 products, products 0 of 2 products, orders 0 of 1 order.',
    ]);

    const json = await SyncRun.run(['--json', '--kind', 'wallets'], sides.toolEnv);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.lines.at(-1) ?? '')).toEqual({
      equal: false,
      checks: 1,
      elapsedMs: expect.any(Number),
      kinds: {
        wallets: { aggregateType: 'customer', sides: ['legacy-monolith', 'payments'], compared: 2, differences: 1 },
      },
      differences: [
        {
          kind: 'wallets',
          aggregateType: 'customer',
          aggregateId: customer.id,
          fields: ['balanceCents'],
          missingAt: [],
          sides: [
            { process: 'legacy-monolith', values: { balanceCents: 1_500 }, vector: { 'legacy-monolith': 3 } },
            { process: 'payments', values: { balanceCents: 1_000 }, vector: { 'legacy-monolith': 2 } },
          ],
          missingEvents: [{ process: 'payments', origin: 'legacy-monolith', from: 3, to: 3 }],
        },
      ],
    });
  });

  it('--wait checks again until a later write makes the sides equal, and prints only that result', async () => {
    const run = start(['--wait', '60', '--kind', 'wallets']);
    // The first check has seen the difference: now payments starts and applies the deposit it missed.
    expect(await run.stderrLine(/^check 1: /)).toMatch(
      /^check 1: 1 difference \(wallets 1\); checking again for up to/,
    );
    await sides.startSide('payments');

    const { status, lines } = await run.result;
    expect(status).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(
        /^All equal: wallets 2 customers on legacy-monolith, payments \(after \d+ checks in \d+\.\d s\)\.$/,
      ),
    ]);
  });

  it('prints a product that one side does not hold', async () => {
    await sides.stopSide('inventory');
    const missing = await shop.createProduct(5);
    // The catalog (running) gets it; inventory (stopped) cannot.
    await settles(['products']);

    const { status, lines } = await SyncRun.run(['--kind', 'stock,products'], sides.toolEnv);
    expect(status).toBe(1);
    expect(lines).toEqual([
      `stock product ${missing.id}: missing at inventory | legacy-monolith stock=5 vector {legacy-monolith:1} | ` +
        'inventory missing vector {} | catalog stock=5 vector {legacy-monolith:1} | ' +
        'inventory has not applied legacy-monolith 1',
      '1 difference: stock 1 of 3 products, products 0 of 3 products.',
    ]);

    await sides.startSide('inventory');
    expect(await settles(['stock'])).toMatchObject({ equal: true });
  });

  it('prints stock that differs on one side', async () => {
    await sides.stopSide('catalog');
    await shop.adjustStock(product.id, -3);
    // Inventory (running) applies the adjustment; the catalog (stopped) cannot.
    await settles(['stock'], (report) =>
      report.kinds[0]!.differences.every((difference) => difference.sides[1]?.values?.stock === 5),
    );

    const { status, lines } = await SyncRun.run(['--kind', 'stock'], sides.toolEnv);
    expect(status).toBe(1);
    expect(lines).toEqual([
      `stock product ${product.id}: stock differs | legacy-monolith stock=5 vector {legacy-monolith:3} | ` +
        'inventory stock=5 vector {legacy-monolith:3} | catalog stock=8 vector {legacy-monolith:2} | ' +
        'catalog has not applied legacy-monolith 3',
      '1 difference: stock 1 of 3 products.',
    ]);

    await sides.startSide('catalog');
    expect(await settles(['stock', 'products'])).toMatchObject({ equal: true });
  });

  it('--repair asks the origin to send again the last events a side lacks, which nothing else would bring', async () => {
    const env = { ...sides.toolEnv, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: sides.redisPrefix };
    await sides.stopSide('payments');
    await shop.deposit(customer, 250);
    // The deposit's event is gone before payments read it, and no later event of the wallet shows the gap.
    expect(await loseEvents(sides.redisPrefix, 'wallet.credited', customer.id)).toBeGreaterThan(0);
    await sides.startSide('payments');

    const before = await SyncRun.run(['--kind', 'wallets'], env);
    expect(before.status).toBe(1);
    const lacking = /payments has not applied legacy-monolith (\d+)$/.exec(before.lines[0] ?? '');
    expect(lacking).not.toBeNull();

    // Redis unreachable: a clear error, and nothing changes.
    const unreachable = await SyncRun.run(['--repair', '--kind', 'wallets'], {
      ...env,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(unreachable.status).toBe(2);
    expect(unreachable.stderr).toMatch(
      /^error SYNC_REDIS_UNREACHABLE: could not ask the origins to send again through Redis at redis:\/\/127\.0\.0\.1:1 \(REDIS_URL\)/,
    );
    expect((await SyncRun.run(['--kind', 'wallets'], env)).status).toBe(1);

    const { status, lines } = await SyncRun.run(['--repair', '--kind', 'wallets', '--wait', '60', '--json'], env);
    expect(status).toBe(0);
    expect(JSON.parse(lines.at(-1) ?? '')).toMatchObject({
      equal: true,
      repair: {
        requests: [
          {
            origin: 'legacy-monolith',
            aggregateType: 'customer',
            aggregateId: customer.id,
            fromSequence: Number(lacking?.[1]),
            for: ['payments'],
          },
        ],
        unrepairable: [],
      },
    });
    const after = await SyncRun.run(['--repair', '--kind', 'wallets'], env);
    expect(after).toMatchObject({ status: 0, lines: [expect.stringMatching(/^All equal: wallets 2 customers/)] });
  });

  it("--repair past payments' outbox retention: payments answers with a wallet snapshot, which the monolith applies", async () => {
    const env = { ...sides.toolEnv, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: sides.redisPrefix };
    const payments = new LegacyShop(() => sides.url('payments'));
    await sides.stopSide('legacy-monolith');
    await payments.deposit(customer, 300);
    await payments.deposit(customer, 400);
    // Payments' events of the wallet are gone from its outbox (purged) and from the stream before the monolith read them.
    expect(await purgePublishedOnPostgres(sides.databaseUrl('payments'), customer.id)).toBeGreaterThan(0);
    expect(await loseEvents(sides.redisPrefix, 'wallet.credited', customer.id)).toBeGreaterThan(0);
    await sides.startSide('legacy-monolith');

    const { status, lines } = await SyncRun.run(['--repair', '--kind', 'wallets', '--wait', '60', '--json'], env);
    expect(status).toBe(0);
    const result = JSON.parse(lines.at(-1) ?? '') as { repair: { requests: { origin: string }[] } };
    expect(result).toMatchObject({ equal: true });
    expect(result.repair.requests).toEqual([expect.objectContaining({ origin: 'payments', aggregateId: customer.id })]);
    const [snapshot, ...more] = await readEvents<{ balanceCents: number; sequences: Record<string, number> }>(
      sides.redisPrefix,
      'wallet.snapshot',
    );
    expect(more).toEqual([]);
    expect(snapshot?.data).toMatchObject({ aggregateId: customer.id, origin: 'payments', balanceCents: 2_450 });
  });

  it("--repair past inventory's outbox retention: inventory answers with a stock snapshot of its part, which the monolith applies", async () => {
    const env = { ...sides.toolEnv, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: sides.redisPrefix };
    const inventory = new LegacyShop(
      () => sides.url('inventory'),
      () => sides.url('legacy-monolith'),
    );
    // A first adjustment at inventory the monolith applies (and the admin token, while the monolith answers).
    await inventory.adjustStock(product.id, 1);
    expect(await settles(['stock'])).toMatchObject({ equal: true });
    await sides.stopSide('legacy-monolith');
    await inventory.adjustStock(product.id, -2);
    await inventory.adjustStock(product.id, 4);
    // Inventory's events of the product are gone from its outbox (purged) and from the stream before the monolith read them.
    expect(await purgePublishedOnSqlite(sides.databaseUrl('inventory'), product.id)).toBeGreaterThan(0);
    expect(await loseEvents(sides.redisPrefix, 'stock.adjusted', product.id)).toBeGreaterThan(0);
    await sides.startSide('legacy-monolith');

    const { status, lines } = await SyncRun.run(['--repair', '--kind', 'stock', '--wait', '60', '--json'], env);
    expect(status).toBe(0);
    const result = JSON.parse(lines.at(-1) ?? '') as { repair: { requests: { origin: string }[] } };
    expect(result).toMatchObject({ equal: true });
    expect(result.repair.requests).toEqual([expect.objectContaining({ origin: 'inventory', aggregateId: product.id })]);
    const snapshots = await readEvents<{ stock: number }>(sides.redisPrefix, 'stock.snapshot');
    expect(snapshots.map((entry) => entry.data)).toEqual([
      expect.objectContaining({ aggregateId: product.id, origin: 'inventory', stock: 8 }),
    ]);
  });

  it('exits 2 with SYNC_DATABASE_UNREACHABLE when a database cannot be reached', async () => {
    const unreachable = 'postgres://postgres@127.0.0.1:1/nowhere';
    const { status, stdout, stderr } = await SyncRun.run(['--kind', 'wallets'], {
      ...sides.toolEnv,
      PAYMENTS_DATABASE_URL: unreachable,
    });
    expect({ status, stdout }).toEqual({ status: 2, stdout: '' });
    expect(stderr).toMatch(
      new RegExp(
        `^error SYNC_DATABASE_UNREACHABLE: payments: database ${unreachable} \\(PAYMENTS_DATABASE_URL\\) could not be ` +
          'reached: .*ECONNREFUSED',
      ),
    );

    const json = await SyncRun.run(['--kind', 'wallets', '--json'], {
      ...sides.toolEnv,
      PAYMENTS_DATABASE_URL: unreachable,
    });
    expect(json.status).toBe(2);
    expect(JSON.parse(json.lines.at(-1) ?? '')).toEqual({
      error: { code: 'SYNC_DATABASE_UNREACHABLE', message: expect.stringContaining('payments: database') },
    });
  });

  it('exits 2 with SYNC_DATABASE_MISSING when a SQLite database is not where the launcher would put it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ficus-sync-empty-'));
    try {
      const { status, stderr } = await SyncRun.run(['--kind', 'stock'], { ...sides.toolEnv, STACK_DATA_DIR: empty });
      expect(status).toBe(2);
      expect(stderr).toBe(
        `error SYNC_DATABASE_MISSING: legacy-monolith: database ${join(empty, 'legacy-monolith.sqlite')} (the default; ` +
          'LEGACY_DATABASE_URL is not set) does not exist: start the stack once (npm start), or set ' +
          'LEGACY_DATABASE_URL (or STACK_DATA_DIR) to where it is.\n',
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('exits 2 with SYNC_SCHEMA_MISSING when a database has not been migrated', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ficus-sync-blank-'));
    const blank = join(folder, 'blank.sqlite');
    new Database(blank).close();
    try {
      const { status, stderr } = await SyncRun.run(['--kind', 'stock'], {
        ...sides.toolEnv,
        INVENTORY_DATABASE_URL: `sqlite:${blank}`,
      });
      expect(status).toBe(2);
      expect(stderr).toBe(
        `error SYNC_SCHEMA_MISSING: inventory: database ${blank} lacks what the check reads (no such table: ` +
          'product_stock): start inventory once so that its migrations run, or point INVENTORY_DATABASE_URL at its ' +
          'own database.\n',
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
