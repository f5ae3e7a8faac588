import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Registry } from 'prom-client';
import { JwtCodec } from '@app/auth';
import { type RedisConnection, connectOrFail, createRedisConnection } from '@app/redis-streams';
import { CompiledRuleSet, type RuleSetInput, checkRuleSet } from '../../src/rules';
import { MAX_SENT_POSITIONS, PositionsStore, type PositionsStoreOptions } from '../../src/data-plane/consistency';
import { RedisProcess } from '../../../tools/testing/redis-process';
import { TEST_REDIS_URL, deleteTestKeys, uniqueTestPrefix } from '../../../tools/testing/test-redis';
import { eventually } from '../../../tools/testing/test-streams';
import { type FacadeHarness, startFacade } from '../support/facade-harness';
import { type Answer, TestClient } from '../support/http-client';
import { type StubUpstream, answerWithName, closeAll, startStubUpstream } from '../support/stub-upstream';

const jwt = new JwtCodec('a-secret-for-the-consistency-e2e-0123456789');
const ANA = '11111111-1111-4111-8111-111111111111';
const tokenOf = (id: string) => jwt.issue({ id, role: 'customer' }).accessToken;

async function connect(url: string): Promise<RedisConnection> {
  const redis = createRedisConnection({ url, reconnectBaseDelayMs: 20, reconnectMaxDelayMs: 200 }, 'consistency-test');
  redis.on('error', () => undefined);
  await connectOrFail(redis, url);
  return redis;
}

/** How many positions headers the store's counter has for this step and outcome. */
async function counted(registry: Registry, step: string, outcome: string): Promise<number> {
  const metric = registry.getSingleMetric('strangler_consistency_total');
  const values = metric ? (await metric.get()).values : [];
  return values.filter((v) => v.labels.step === step && v.labels.outcome === outcome).reduce((n, v) => n + v.value, 0);
}

/** How many reads of positions the store answered from this source (memory, redis). */
async function readsFrom(registry: Registry, source: string): Promise<number> {
  const metric = registry.getSingleMetric('strangler_consistency_reads_total');
  const values = metric ? (await metric.get()).values : [];
  return values.find((v) => v.labels.source === source)?.value ?? 0;
}

/** A write's answer as a side gives it: `201`, its body, and the positions it committed. */
const answerWithPositions =
  (positions: () => string, body = '{"ok":true}') =>
  (_req: unknown, res: ServerResponse) => {
    res.writeHead(201, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-ficus-positions': positions(),
    });
    res.end(body);
  };

/**
 * The facade keeps the positions each write's answer reports (in Redis, shared by every
 * instance) and sends, with each later request, those its route names, whichever side it goes
 * to; nothing of it reaches the client or comes from one.
 */
describe('data plane: a request carries the positions of the writes before it', () => {
  let legacy: StubUpstream;
  let catalog: StubUpstream;
  let redis: RedisConnection;
  let facade: FacadeHarness;
  let second: FacadeHarness;
  const secondRegistry = new Registry();
  const client = new TestClient();
  const prefix = uniqueTestPrefix('consistency');

  const withRoutes = (legacyUrl: string, catalogUrl: string): RuleSetInput => ({
    legacy: 'legacy',
    upstreams: { legacy: { url: legacyUrl }, catalog: { url: catalogUrl } },
    routes: [
      {
        id: 'adjust',
        match: { methods: ['POST'], path: '/api/products/:id/stock-adjustments' },
        target: 'catalog',
        mode: 'legacy',
      },
      { id: 'create', match: { methods: ['POST'], path: '/api/products' }, target: 'catalog', mode: 'legacy' },
      {
        id: 'product',
        match: { methods: ['GET'], path: '/api/products/:productId' },
        target: 'catalog',
        mode: 'live',
        consistency: ['product:{productId}'],
      },
      {
        id: 'products',
        match: { methods: ['GET'], path: '/api/products' },
        target: 'catalog',
        mode: 'live',
        consistency: ['product:*'],
      },
      {
        id: 'order',
        match: { methods: ['POST'], path: '/api/orders' },
        target: 'catalog',
        mode: 'legacy',
        consistency: ['customer:{jwt.sub}', 'product:*'],
      },
    ],
  });

  const started: PositionsStore[] = [];

  /**
   * Starts a data plane on this test's Redis prefix, with rules that know the JWT secret; its
   * store keeps the positions in memory (once trusted) unless `memory` is false.
   */
  async function facadeOn(
    connection: RedisConnection,
    options: { windowMs?: number; registry?: Registry; memory?: boolean } = {},
  ) {
    const consistency = new PositionsStore({
      redis: connection,
      prefix,
      ttlMs: 60_000,
      windowMs: options.windowMs ?? 60_000,
      metrics: options.registry ?? new Registry(),
      timeoutMs: 300,
    });
    if (options.memory !== false) {
      await consistency.start();
      started.push(consistency);
      await eventually(
        async () => consistency.memoryTrusted,
        (trusted) => trusted,
      );
    }
    const plane = await startFacade(withRoutes(legacy.url, catalog.url), { consistency });
    const check = checkRuleSet(withRoutes(legacy.url, catalog.url));
    if (!check.ok) throw new Error(check.errors.join('\n'));
    plane.rules.swap(new CompiledRuleSet(2, check.ruleSet, { jwt }));
    return plane;
  }

  /** A store on this test's Redis and prefix, as a facade instance would have it. */
  const storeOf = (options: Partial<PositionsStoreOptions> = {}) =>
    new PositionsStore({ redis, prefix, ttlMs: 60_000, windowMs: 60_000, metrics: new Registry(), ...options });

  const awaited = (stub: StubUpstream) => stub.requests.at(-1)?.headers['x-ficus-await'];

  const get = (on: FacadeHarness, path: string, headers: Record<string, string> = {}): Promise<Answer> =>
    client.send('GET', `${on.url}${path}`, { headers });

  const post = (on: FacadeHarness, path: string, headers: Record<string, string> = {}): Promise<Answer> =>
    client.send('POST', `${on.url}${path}`, {
      headers: { 'content-type': 'application/json', ...headers },
      body: '{}',
    });

  beforeAll(async () => {
    [legacy, catalog, redis] = await Promise.all([
      startStubUpstream('legacy'),
      startStubUpstream('catalog'),
      connect(TEST_REDIS_URL),
    ]);
    facade = await facadeOn(redis);
    second = await facadeOn(redis, { registry: secondRegistry });
  });

  afterAll(async () => {
    await closeAll(facade, second, client, legacy, catalog);
    await Promise.all(started.map((store) => store.close()));
    await deleteTestKeys(prefix);
    redis.destroy();
  });

  it('sends a product read the position of the write before it, through another facade instance too', async () => {
    const product = randomUUID();
    legacy.handle(answerWithPositions(() => `legacy-monolith:product:${product}:7`));
    const write = await post(facade, `/api/products/${product}/stock-adjustments`);
    expect(write.status).toBe(201);
    expect(write.json).toEqual({ ok: true });
    // Between a side and the facade only.
    expect(write.headers['x-ficus-positions']).toBeUndefined();

    const fromMemory = await readsFrom(secondRegistry, 'memory');
    expect((await get(second, `/api/products/${product}`)).status).toBe(200);
    expect(awaited(catalog)).toBe(`legacy-monolith:product:${product}:7`);
    // Another product has nothing to wait for.
    await get(second, `/api/products/${randomUUID()}`);
    expect(awaited(catalog)).toBeUndefined();
    // The second instance knew both from memory: the write's answer waited for its acknowledgement.
    expect(await readsFrom(secondRegistry, 'memory')).toBe(fromMemory + 2);
    expect(await readsFrom(secondRegistry, 'redis')).toBe(0);
  });

  it('keeps the highest sequence of each origin, whatever order the answers come back in', async () => {
    const product = randomUUID();
    for (const [origin, sequence] of [
      ['legacy-monolith', 3],
      ['inventory', 2],
      ['legacy-monolith', 1],
    ] as const) {
      legacy.handle(answerWithPositions(() => `${origin}:product:${product}:${sequence}`));
      expect((await post(facade, `/api/products/${product}/stock-adjustments`)).status).toBe(201);
    }
    await get(facade, `/api/products/${product.toUpperCase()}`);
    expect(String(awaited(catalog)).split(',').sort()).toEqual(
      [`inventory:product:${product}:2`, `legacy-monolith:product:${product}:3`].sort(),
    );
  });

  it('sends a list read every position of its collection written within the window', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    legacy.handle(answerWithPositions(() => `legacy-monolith:product:${a}:1,legacy-monolith:customer:${ANA}:4`));
    await post(facade, '/api/products');
    legacy.handle(answerWithPositions(() => `legacy-monolith:product:${b}:1`));
    await post(facade, '/api/products');

    await get(facade, '/api/products?limit=10');
    const list = String(awaited(catalog)).split(',');
    expect(list).toEqual(expect.arrayContaining([`legacy-monolith:product:${a}:1`, `legacy-monolith:product:${b}:1`]));
    expect(list.some((entry) => entry.includes(':customer:'))).toBe(false);
  });

  it('sends a write that reads state the caller’s aggregate and the collections it names', async () => {
    legacy.handle(answerWithPositions(() => `payments:customer:${ANA}:9`));
    await post(facade, `/api/products/${randomUUID()}/stock-adjustments`);
    legacy.handle(answerWithName);

    await post(facade, '/api/orders', { authorization: `Bearer ${tokenOf(ANA)}` });
    expect(String(awaited(legacy)).split(',')).toContain(`payments:customer:${ANA}:9`);
    // Without a valid token the caller's aggregate is unknown: only the collection goes.
    await post(facade, '/api/orders', { authorization: 'Bearer not.a.token' });
    expect(String(awaited(legacy))).not.toContain(':customer:');
  });

  it('drops the positions headers a client sends, both ways', async () => {
    const product = randomUUID();
    catalog.handle(answerWithName);
    await get(facade, `/api/products/${product}`, {
      'x-ficus-await': `legacy-monolith:product:${product}:999999`,
      'x-ficus-positions': `legacy-monolith:product:${product}:999999`,
    });
    const seen = catalog.requests.at(-1)!.headers;
    expect(seen['x-ficus-await']).toBeUndefined();
    expect(seen['x-ficus-positions']).toBeUndefined();
    // Nor does a forged header on a write get kept.
    await get(facade, `/api/products/${product}`);
    expect(awaited(catalog)).toBeUndefined();
  });

  it('answers a write whose positions header is malformed, counting it, and keeps nothing of it', async () => {
    const registry = new Registry();
    const own = await facadeOn(redis, { registry });
    try {
      const product = randomUUID();
      legacy.handle(answerWithPositions(() => `legacy-monolith:product:${product}:zero`));
      const write = await post(own, `/api/products/${product}/stock-adjustments`);
      expect(write.status).toBe(201);
      expect(write.headers['x-ficus-positions']).toBeUndefined();
      expect(await counted(registry, 'record', 'invalid')).toBe(1);
      await get(own, `/api/products/${product}`);
      expect(awaited(catalog)).toBeUndefined();
    } finally {
      await own.close();
    }
  });

  it('holds the answer of a write until its positions are kept, and streams a large body unchanged', async () => {
    const product = randomUUID();
    const body = JSON.stringify({ filler: 'x'.repeat(2 * 1024 * 1024) });
    legacy.handle(answerWithPositions(() => `legacy-monolith:product:${product}:1`, body));
    const write = await post(facade, `/api/products/${product}/stock-adjustments`);
    expect(write.status).toBe(201);
    expect(write.text.length).toBe(body.length);
    expect(write.text).toBe(body);
    await get(facade, `/api/products/${product}`);
    expect(awaited(catalog)).toBe(`legacy-monolith:product:${product}:1`);
  });

  it('leaves out what left the collection’s window', async () => {
    const registry = new Registry();
    let now = Date.now();
    const store = storeOf({ windowMs: 1_000, metrics: registry, now: () => now });
    const product = randomUUID();
    expect(await store.record([{ origin: 'x', aggregateType: 'widget', aggregateId: product, sequence: 1 }])).toBe(
      'ok',
    );
    expect((await store.read([{ aggregateType: 'widget' }], 'catalog'))?.positions).toEqual([
      { origin: 'x', aggregateType: 'widget', aggregateId: product, sequence: 1 },
    ]);
    now += 1_001;
    expect((await store.read([{ aggregateType: 'widget' }], 'catalog'))?.positions).toEqual([]);
    // The aggregate's own positions last their ttl.
    expect((await store.read([{ aggregateType: 'widget', aggregateId: product }], 'catalog'))?.positions).toEqual([
      { origin: 'x', aggregateType: 'widget', aggregateId: product, sequence: 1 },
    ]);
  });

  it('stops sending an upstream what it confirmed applied, and only that upstream', async () => {
    const product = randomUUID();
    legacy.handle(answerWithPositions(() => `inventory:product:${product}:1`));
    await post(facade, `/api/products/${product}/stock-adjustments`);
    // Catalog confirms: the answer reflects every awaited position. The header is the facade's alone.
    catalog.handle((req, res, stub) => {
      res.setHeader('x-ficus-applied', 'true');
      answerWithName(req, res, stub);
    });
    const confirmed = await get(facade, `/api/products/${product}`);
    expect(awaited(catalog)).toBe(`inventory:product:${product}:1`);
    expect(confirmed.headers['x-ficus-applied']).toBeUndefined();
    await eventually(
      async () => {
        await get(second, `/api/products/${product}`);
        return awaited(catalog);
      },
      (value) => value === undefined,
    );
    // A later write is awaited again, alone; the collection drops what catalog confirmed too.
    legacy.handle(answerWithPositions(() => `inventory:product:${product}:2`));
    await post(facade, `/api/products/${product}/stock-adjustments`);
    catalog.handle(answerWithName);
    await get(facade, `/api/products/${product}`);
    expect(awaited(catalog)).toBe(`inventory:product:${product}:2`);
    await get(facade, '/api/products');
    expect(String(awaited(catalog)).split(',')).not.toContain(`inventory:product:${product}:1`);
    expect(String(awaited(catalog)).split(',')).toContain(`inventory:product:${product}:2`);
    // An answer without the confirmation (a stale one) leaves the position awaited.
    await get(facade, `/api/products/${product}`);
    expect(awaited(catalog)).toBe(`inventory:product:${product}:2`);
    // Legacy confirmed nothing: a product read sent there would still carry both.
    const store = storeOf();
    expect((await store.read([{ aggregateType: 'product', aggregateId: product }], 'legacy'))?.positions).toEqual([
      { origin: 'inventory', aggregateType: 'product', aggregateId: product, sequence: 2 },
    ]);
  });

  it('reads a collection from where its upstream confirmed it, for that upstream only', async () => {
    const store = storeOf();
    const [a, b] = [randomUUID(), randomUUID()];
    const at = (id: string) => ({ origin: 'x', aggregateType: 'doohickey', aggregateId: id, sequence: 1 });
    await store.record([at(a)]);
    const first = await store.read([{ aggregateType: 'doohickey' }], 'catalog');
    expect(first).toEqual({
      positions: [at(a)],
      cursors: [{ aggregateType: 'doohickey', score: expect.any(Number), version: expect.any(Number) }],
    });
    await store.markApplied('catalog', first!);
    expect(await redis.get(`${prefix}consistency:cursor:catalog:doohickey`)).toBe(
      `${first!.cursors[0]!.score}:${first!.cursors[0]!.version}`,
    );
    expect(await store.read([{ aggregateType: 'doohickey' }], 'catalog')).toEqual({ positions: [], cursors: [] });
    expect((await store.read([{ aggregateType: 'doohickey' }], 'legacy'))?.positions).toEqual([at(a)]);
    // A write after the cursor is awaited; one confirmed through its aggregate moves the cursor by itself.
    await store.record([at(b)]);
    expect((await store.read([{ aggregateType: 'doohickey' }], 'catalog'))?.positions).toEqual([at(b)]);
    await store.markApplied('catalog', { positions: [at(b)], cursors: [] });
    expect(await store.read([{ aggregateType: 'doohickey' }], 'catalog')).toEqual({ positions: [], cursors: [] });
    const [score, version] = String(await redis.get(`${prefix}consistency:cursor:catalog:doohickey`)).split(':');
    expect(Number(score)).toBeGreaterThanOrEqual(first!.cursors[0]!.score);
    expect(Number(version)).toBe(first!.cursors[0]!.version + 1);
    // A write in the cursor's own millisecond is still awaited: versions tell it apart.
    const c = randomUUID();
    await store.record([at(c)]);
    expect((await store.read([{ aggregateType: 'doohickey' }], 'catalog'))?.positions).toEqual([at(c)]);
  });

  it(`sends at most ${MAX_SENT_POSITIONS} positions, the newest, and counts the rest as truncated`, async () => {
    const registry = new Registry();
    let now = Date.now();
    const store = storeOf({ metrics: registry, now: () => now });
    const ids = Array.from({ length: MAX_SENT_POSITIONS + 20 }, () => randomUUID());
    for (const id of ids) {
      now += 1;
      await store.record([{ origin: 'x', aggregateType: 'gadget', aggregateId: id, sequence: 1 }]);
    }
    const sent = await store.read([{ aggregateType: 'gadget' }], 'catalog');
    expect(sent?.positions).toHaveLength(MAX_SENT_POSITIONS);
    expect(sent?.positions.map((p) => p.aggregateId)).toEqual(ids.slice(-MAX_SENT_POSITIONS).reverse());
    // The rest stays pending: no cursor moves past it.
    expect(sent?.cursors).toEqual([]);
    expect(await counted(registry, 'read', 'truncated')).toBe(1);
  });

  it('answers writes and sends reads on while Redis is away, and waits again once it is back', async () => {
    const own = await RedisProcess.start();
    const connection = await connect(own.url);
    const registry = new Registry();
    const away = await facadeOn(connection, { registry, memory: false });
    try {
      await own.kill();
      const product = randomUUID();
      legacy.handle(answerWithPositions(() => `legacy-monolith:product:${product}:1`));
      const write = await post(away, `/api/products/${product}/stock-adjustments`);
      expect(write.status).toBe(201);
      expect((await get(away, `/api/products/${product}`)).status).toBe(200);
      expect(awaited(catalog)).toBeUndefined();
      expect(await counted(registry, 'record', 'unavailable')).toBe(1);
      expect(await counted(registry, 'read', 'unavailable')).toBe(1);

      await own.restart();
      await eventually(
        async () =>
          (await post(away, `/api/products/${product}/stock-adjustments`)).status === 201 && connection.isReady,
        (ready) => ready,
      );
      legacy.handle(answerWithPositions(() => `legacy-monolith:product:${product}:2`));
      await eventually(
        async () => {
          await post(away, `/api/products/${product}/stock-adjustments`);
          await get(away, `/api/products/${product}`);
          return awaited(catalog);
        },
        (value) => value === `legacy-monolith:product:${product}:2`,
      );
    } finally {
      await away.close();
      connection.destroy();
      await own.stop();
    }
  });
});
