import { RedisProcess } from '../../../tools/testing/redis-process';
import { eventually } from '../support/rule-store-harness';
import { AdminHarness } from '../support/admin-harness';

describe('the admin plane while Redis is away', () => {
  let redis: RedisProcess;
  let admin: AdminHarness;

  beforeAll(async () => {
    redis = await RedisProcess.start();
    admin = await AdminHarness.start({ redisUrl: redis.url, pollIntervalMs: 100 });
    await admin.store.changeRoute(
      'products-read',
      { mode: 'live' },
      { expectedVersion: 1, author: 't', reason: 'live' },
    );
    await eventually(() => admin.sync.rules.current.version === 2);
    await redis.kill();
    await eventually(() => admin.sync.status().state === 'degraded', 3_000);
  });

  afterAll(async () => {
    if (!redis.running) await redis.restart();
    await admin.close();
    await redis.stop();
  });

  it('stays ready, reporting its rules as degraded', async () => {
    const response = await admin.http().get('/health/ready').set(admin.auth).expect(200);
    expect(response.body.info.rules).toMatchObject({
      status: 'up',
      state: 'degraded',
      degraded: true,
      activeVersion: 2,
      degradedSince: expect.any(String),
      problem: expect.any(String),
    });
    const metrics = await admin.http().get('/metrics').set(admin.auth).expect(200);
    expect(metrics.text).toContain('strangler_rules_sync_degraded{service="strangler"} 1');
  });

  it('answers reads and writes of the store with 503 STRANGLER_STORE_UNAVAILABLE', async () => {
    const read = await admin.http().get('/admin/rules').set(admin.auth).expect(503);
    expect(read.body).toMatchObject({
      statusCode: 503,
      code: 'STRANGLER_STORE_UNAVAILABLE',
      message: expect.stringMatching(/^The rule store \(Redis\) is unavailable: /),
    });
    const write = await admin
      .http()
      .patch('/admin/rules/routes/products-read')
      .set(admin.auth)
      .send({ mode: 'legacy', expectedVersion: 2, reason: 'r', author: 'a' })
      .expect(503);
    expect(write.body.code).toBe('STRANGLER_STORE_UNAVAILABLE');
  });

  it('still explains, with the version it routes with', async () => {
    const response = await admin
      .http()
      .post('/admin/explain')
      .set(admin.auth)
      .send({ method: 'GET', path: '/api/products/1' })
      .expect(200);
    expect(response.body).toMatchObject({ version: 2, side: 'target', upstream: 'catalog' });
  });

  it('recovers when Redis returns', async () => {
    await redis.restart();
    await eventually(() => admin.sync.status().state === 'synced', 10_000, 20);
    const response = await admin.http().get('/health/ready').set(admin.auth).expect(200);
    expect(response.body.info.rules).toMatchObject({
      state: 'synced',
      degraded: false,
      activeVersion: 2,
      storeVersion: 2,
    });
    await admin.http().get('/admin/rules').set(admin.auth).expect(200);
  });
});
