import { toRoutingRequest } from '../../src/rules';
import { type RuleStore, type RuleSync, StoreUnavailableError } from '../../src/store';
import { RedisProcess } from '../../../tools/testing/redis-process';
import { RuleStoreHarness, eventually } from '../support/rule-store-harness';

const by = (expectedVersion: number) => ({ expectedVersion, author: 'ana', reason: 'test' });

function decide(sync: RuleSync, path: string) {
  const parsed = toRoutingRequest('GET', path, {}, '10.0.0.1');
  if (!parsed.ok) throw new Error(parsed.reason);
  return sync.rules.current.decide(parsed.request);
}

describe('when Redis goes away', () => {
  let redis: RedisProcess;
  let harness: RuleStoreHarness;
  let store: RuleStore;
  let a: RuleSync;
  let b: RuleSync;
  /** Checks only once a minute: it hears of versions through the channel alone. */
  let c: RuleSync;

  beforeAll(async () => {
    redis = await RedisProcess.start();
    harness = await new RuleStoreHarness(redis.url).start();
    store = await harness.store();
    [a, b, c] = await Promise.all([
      harness.sync({ pollIntervalMs: 100, checkTimeoutMs: 200, instance: 'strangler@a' }),
      harness.sync({ pollIntervalMs: 100, checkTimeoutMs: 200, instance: 'strangler@b' }),
      harness.sync({ pollIntervalMs: 60_000, checkTimeoutMs: 200, instance: 'strangler@c' }),
    ]);
    await Promise.all([a.start(), b.start(), c.start()]);
    await store.changeRoute('products-read', { mode: 'live' }, by(1));
    await eventually(() => a.rules.current.version === 2 && b.rules.current.version === 2);
  });

  afterAll(async () => {
    if (!redis.running) await redis.restart();
    await harness.cleanup();
    await redis.stop();
  });

  it('keeps routing with the last version and reports degraded', async () => {
    await redis.kill();
    const status = await eventually(() => (a.status().state === 'degraded' ? a.status() : undefined), 3_000);
    expect(status).toMatchObject({
      state: 'degraded',
      activeVersion: 2,
      degradedSince: expect.any(String),
      problem: expect.stringMatching(/Redis does not answer|change channel is disconnected/),
    });
    await eventually(() => b.status().state === 'degraded', 3_000);
    expect(decide(a, '/api/products/1')).toMatchObject({ upstream: 'catalog', side: 'target' });
    expect(decide(b, '/api/products/1')).toMatchObject({ upstream: 'catalog', side: 'target' });
    // Still degraded after several periodic checks, still on version 2.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(a.status()).toMatchObject({ state: 'degraded', activeVersion: 2 });
  });

  it('refuses reads and writes of the store meanwhile', async () => {
    await expect(store.currentVersion()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.changeRoute('products-read', { mode: 'legacy' }, by(2))).rejects.toMatchObject({
      code: 'STRANGLER_STORE_UNAVAILABLE',
    });
  });

  it('writes its version back once when Redis returns empty, and recovers', async () => {
    await redis.restart();
    await eventually(() => a.status().state === 'synced' && b.status().state === 'synced', 10_000, 20);
    // The test's own connection reconnects on its own schedule.
    expect(await eventually(() => store.currentVersion(), 5_000, 20)).toBe(2);
    const audit = await store.audit();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ version: 2, action: 'restore' });
    expect(['strangler@a', 'strangler@b', 'strangler@c']).toContain(audit[0]?.author);
    expect((await store.get(2)).document).toEqual(a.rules.current.document);
    expect(await store.list()).toMatchObject({ current: 2, versions: [{ version: 2, action: 'restore' }] });
  });

  it('then follows new versions again, through the channel too', async () => {
    await eventually(() => c.status().state === 'synced', 10_000, 20);
    const started = performance.now();
    await store.changeRoute('products-read', { mode: 'legacy' }, by(2));
    await eventually(() => c.rules.current.version === 3, 1_000, 1);
    expect(performance.now() - started).toBeLessThan(200);
    await eventually(() => a.rules.current.version === 3 && b.rules.current.version === 3, 1_000);
    expect(decide(a, '/api/products/1')).toMatchObject({ upstream: 'legacy', side: 'legacy' });
  });
});
