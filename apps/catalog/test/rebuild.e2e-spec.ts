import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from 'redis';
import { createSqliteDatabase } from '../../../tools/testing/test-databases';
import { TEST_REDIS_URL, deleteTestKeys, uniqueTestPrefix } from '../../../tools/testing/test-redis';
import { eventually } from '../../../tools/testing/test-streams';
import { withEnv } from '../../../tools/testing/with-env';
import { RUNNING_CONSUMER_IDLE_MS } from '../src/rebuild/consumer-groups';
import { rebuildCatalog } from '../src/rebuild/rebuild-catalog';
import type { PageBody, ProductBody } from './support/api-expectations';
import { CatalogHarness, bearer, tokenFor } from './support/catalog-harness';
import {
  asProductBody,
  later,
  newProduct,
  productCreated,
  productSnapshot,
  stockAdjusted,
} from './support/product-events';
import { STUB_ADMIN, StubMonolith } from './support/stub-monolith';

const ROOT = join(__dirname, '..', '..', '..');
const REBUILD_ENTRY = join(ROOT, 'dist/apps/catalog/src/rebuild/rebuild.main.js');
const STREAMS = ['product.created', 'product.updated', 'stock.adjusted', 'product.snapshot', 'stock.snapshot'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rows of the catalog's SQLite database, read beside the app. */
function countRows(databaseUrl: string): { products: number; inbox: number; sequences: number } {
  const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      products: count('SELECT COUNT(*) AS n FROM products'),
      inbox: count("SELECT COUNT(*) AS n FROM inbox_messages WHERE consumer = 'catalog'"),
      sequences: count("SELECT COUNT(*) AS n FROM inbox_sequences WHERE consumer = 'catalog'"),
    };
  } finally {
    db.close();
  }
}

/** The `catalog` group of each stream as `XINFO GROUPS` shows it. */
async function catalogGroups(prefix: string): Promise<Record<string, unknown>[]> {
  const redis = createClient({ url: TEST_REDIS_URL, RESP: 2 });
  await redis.connect();
  try {
    const groups: Record<string, unknown>[] = [];
    for (const pattern of STREAMS) {
      const key = `${prefix}evt:${pattern}`;
      if ((await redis.exists(key)) === 0) continue;
      const replies = (await redis.sendCommand(['XINFO', 'GROUPS', key])) as unknown[][];
      for (const fields of replies) {
        const group = Object.fromEntries(
          Array.from({ length: fields.length / 2 }, (_, i) => [String(fields[2 * i]), fields[2 * i + 1]]),
        );
        if (group.name === 'catalog') groups.push({ stream: pattern, ...group });
      }
    }
    return groups;
  } finally {
    redis.destroy();
  }
}

/** A URL where nothing listens. */
async function closedUrl(): Promise<string> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** Every product the catalog lists (one page of up to 100). */
async function allProducts(catalog: CatalogHarness): Promise<PageBody<ProductBody>> {
  return (await catalog.http().get('/api/products').query({ limit: 100 })).body as PageBody<ProductBody>;
}

describe('rebuild of the read model (npm run rebuild:catalog)', () => {
  it('empties the read model and its inbox state, moves the consumer groups back and asks for a backfill; a restarted catalog serves the same products', async () => {
    const database = createSqliteDatabase();
    const databaseUrl = database.url;
    const redisPrefix = uniqueTestPrefix('catalog-rebuild');
    const first = await CatalogHarness.start({ databaseUrl, redisPrefix });
    let stub: StubMonolith | undefined;
    let second: CatalogHarness | undefined;
    try {
      // A: made by the monolith, its stock changed by the monolith and by inventory.
      const a = newProduct({ sku: 'A-1', stock: 10 });
      await first.publish('product.created', productCreated('legacy-monolith', a));
      await first.publish('stock.adjusted', stockAdjusted('legacy-monolith', a.productId, 2, -3, 7));
      const lastOfA = stockAdjusted('inventory', a.productId, 1, 5, 12);
      await first.publish('stock.adjusted', lastOfA);
      await first.productBecomes(a.productId, (product) => product.updatedAt === lastOfA.updatedAt);
      // B: made by the catalog itself.
      const b = (
        await first
          .http()
          .post('/api/products')
          .set(bearer(tokenFor('admin')))
          .send({ sku: 'B-2', name: 'Made here', priceCents: 250, stock: 4 })
          .expect(201)
      ).body as ProductBody;
      const before = await allProducts(first);
      expect(before.total).toBe(2);
      await first.close({ keep: true });

      // What the monolith has: A and B (it applied B's product.created), and C, whose events left the streams long ago.
      const c = newProduct({ sku: '0-OLD', stock: 1 });
      const snapshots = [
        productSnapshot(
          { ...a, stock: 12, updatedAt: lastOfA.updatedAt as string },
          { 'legacy-monolith': 2, inventory: 1 },
        ),
        productSnapshot(
          {
            productId: b.id,
            sku: b.sku,
            name: b.name,
            priceCents: b.priceCents,
            stock: b.stock,
            createdAt: b.createdAt,
            updatedAt: b.updatedAt,
          },
          { 'legacy-monolith': 0, catalog: 1 },
        ),
        productSnapshot(c, { 'legacy-monolith': 1 }),
      ];
      stub = await StubMonolith.start(redisPrefix, () => snapshots);
      // The stopped catalog's consumers must look idle.
      await sleep(RUNNING_CONSUMER_IDLE_MS + 500);

      const report = await withEnv({ DATABASE_URL: databaseUrl, REDIS_PREFIX: redisPrefix, LEGACY_URL: stub.url }, () =>
        rebuildCatalog(),
      );

      expect(report).toEqual({
        legacyUrl: stub.url,
        // A's three events went through the inbox; B's product.created was the catalog's own.
        deleted: { products: 2, inboxMessages: 3, inboxSequences: expect.any(Number) },
        groups: STREAMS.map((pattern) => ({
          stream: `${redisPrefix}evt:${pattern}`,
          group: 'moved',
          // The stopped instance's consumer, where it had been served entries.
          consumersRemoved: pattern === 'product.created' || pattern === 'stock.adjusted' ? 1 : 0,
        })),
        backfill: { customers: 0, products: 3 },
      });
      expect(report.deleted.inboxSequences).toBeGreaterThan(0);
      expect(countRows(databaseUrl)).toEqual({ products: 0, inbox: 0, sequences: 0 });
      const groups = await catalogGroups(redisPrefix);
      expect(groups).toHaveLength(STREAMS.length);
      for (const group of groups) {
        expect(group).toMatchObject({ 'last-delivered-id': '0-0', consumers: 0, pending: 0 });
      }
      expect(stub.requests.map((request) => [request.method, request.path])).toEqual([
        ['POST', '/api/auth/token'],
        ['POST', '/api/admin/backfill'],
      ]);
      expect(stub.requests[0]!.body).toEqual(STUB_ADMIN);

      second = await CatalogHarness.start({ databaseUrl, redisPrefix });
      const expected = [...before.items, asProductBody(c)].sort((x, y) => (x.sku < y.sku ? -1 : 1));
      const restarted = second;
      await eventually(
        () => allProducts(restarted),
        (page) => JSON.stringify(page.items) === JSON.stringify(expected),
      );
      expect(await allProducts(restarted)).toEqual({ items: expected, total: 3, limit: 100, offset: 0 });

      // It goes on from there: the next events of each origin apply once.
      const next = stockAdjusted('legacy-monolith', a.productId, 3, -2, 10, later());
      await second.publish('stock.adjusted', next);
      await second.publish('stock.adjusted', stockAdjusted('inventory', b.id, 1, 6, 10));
      expect(await second.productBecomes(a.productId, (found) => found.updatedAt === next.updatedAt)).toMatchObject({
        stock: 10,
      });
      expect((await second.productBecomes(b.id, (found) => found.stock !== 4)).stock).toBe(10);
    } finally {
      await second?.close();
      await stub?.close();
      await database.drop();
      await deleteTestKeys(redisPrefix);
    }
  });

  it('refuses while a catalog instance reads the streams, and changes nothing', async () => {
    const catalog = await CatalogHarness.start();
    const stub = await StubMonolith.start(catalog.redisPrefix, () => []);
    try {
      const product = newProduct();
      await catalog.publish('product.created', productCreated('legacy-monolith', product));
      await catalog.productBecomes(product.productId);

      const run = withEnv(
        { DATABASE_URL: catalog.databaseUrl, REDIS_PREFIX: catalog.redisPrefix, LEGACY_URL: stub.url },
        () => rebuildCatalog(),
      );

      await expect(run).rejects.toMatchObject({
        code: 'CATALOG_REBUILD_CATALOG_RUNNING',
        message: expect.stringContaining('Stop every catalog instance'),
      });
      expect(await catalog.product(product.productId)).toBeDefined();
      expect(stub.requests.map((request) => request.path)).toEqual(['/api/auth/token']);
    } finally {
      await stub.close();
      await catalog.close();
    }
  });

  describe('failures, before anything changes', () => {
    const database = createSqliteDatabase();
    const redisPrefix = uniqueTestPrefix('catalog-rebuild');
    afterAll(async () => {
      await database.drop();
      await deleteTestKeys(redisPrefix);
    });
    const rebuildWith = (env: Record<string, string>) =>
      withEnv({ DATABASE_URL: database.url, REDIS_PREFIX: redisPrefix, ...env }, () => rebuildCatalog());

    it('names LEGACY_URL when the monolith is unreachable', async () => {
      const url = await closedUrl();

      await expect(rebuildWith({ LEGACY_URL: url })).rejects.toMatchObject({
        code: 'CATALOG_REBUILD_LEGACY_UNREACHABLE',
        message: expect.stringContaining(`The monolith at LEGACY_URL=${url} is unreachable`),
      });
      expect(await catalogGroups(redisPrefix)).toEqual([]);
    });

    it('says the credentials are refused, naming ADMIN_EMAIL and ADMIN_PASSWORD', async () => {
      const stub = await StubMonolith.start(redisPrefix, () => []);
      try {
        await expect(rebuildWith({ LEGACY_URL: stub.url, ADMIN_PASSWORD: 'wrong-password' })).rejects.toMatchObject({
          code: 'CATALOG_REBUILD_LEGACY_REFUSED',
          message:
            `The monolith at LEGACY_URL=${stub.url} answered 401 INVALID_CREDENTIALS: The email or password is wrong. ` +
            '(check ADMIN_EMAIL and ADMIN_PASSWORD) to POST /api/auth/token.',
        });
      } finally {
        await stub.close();
      }
    });

    it('names each variable that is not allowed', async () => {
      await expect(rebuildWith({ LEGACY_URL: 'ftp://monolith', ADMIN_EMAIL: 'not-an-email' })).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/LEGACY_URL is "ftp:\/\/monolith"[\s\S]*ADMIN_EMAIL is "not-an-email"/),
      });
    });
  });

  describe('as a command (the compiled entry point, after npm run build)', () => {
    const database = createSqliteDatabase();
    const redisPrefix = uniqueTestPrefix('catalog-rebuild-cli');
    afterAll(async () => {
      await database.drop();
      await deleteTestKeys(redisPrefix);
    });

    /** Runs `rebuild.main.js`; resolves with its exit code and output. */
    function runCommand(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
      if (!existsSync(REBUILD_ENTRY)) throw new Error(`${REBUILD_ENTRY} is missing: run npm run build first`);
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [REBUILD_ENTRY], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: database.url, REDIS_PREFIX: redisPrefix, LOG_LEVEL: 'info', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code, output }));
      });
    }

    it('exits 1 with a message naming LEGACY_URL when the monolith is unreachable', async () => {
      const url = await closedUrl();

      const { code, output } = await runCommand({ LEGACY_URL: url });

      expect(code).toBe(1);
      expect(output).toContain(`The monolith at LEGACY_URL=${url} is unreachable`);
    });

    it('prints what it did, one JSON line per step, and exits 0', async () => {
      const stub = await StubMonolith.start(redisPrefix, () => [
        productSnapshot(newProduct(), { 'legacy-monolith': 1 }),
      ]);
      try {
        const { code, output } = await runCommand({ LEGACY_URL: stub.url });

        expect(code).toBe(0);
        const messages = output
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as { msg: string }).msg);
        expect(messages).toEqual([
          'Emptied the read model: 0 products, 0 inbox messages and 0 inbox sequence rows of the consumer catalog deleted',
          ...STREAMS.map((pattern) => `${redisPrefix}evt:${pattern}: consumer group catalog created at the start`),
          `The monolith at ${stub.url} published 1 product and 0 customer snapshots; the next catalog start rebuilds ` +
            'the read model from the streams and the snapshots',
        ]);
      } finally {
        await stub.close();
      }
    });
  });
});
