import type { ServerResponse } from 'node:http';
import { Registry } from 'prom-client';
import { JwtCodec } from '@app/auth';
import { type RedisConnection, connectOrFail, createRedisConnection } from '@app/redis-streams';
import type { RuleSetInput } from '../../src/rules';
import { IdempotencyPins } from '../../src/data-plane/idempotency';
import { RedisProcess } from '../../../tools/testing/redis-process';
import { TEST_REDIS_URL, countKeysUnder, deleteTestKeys, uniqueTestPrefix } from '../../../tools/testing/test-redis';
import { eventually } from '../../../tools/testing/test-streams';
import { type FacadeHarness, startFacade } from '../support/facade-harness';
import { type Answer, TestClient } from '../support/http-client';
import { type StubUpstream, answerWithName, closeAll, startStubUpstream } from '../support/stub-upstream';

const jwt = new JwtCodec('a-secret-for-the-idempotency-pins-e2e-0123');
const ANA = '11111111-1111-4111-8111-111111111111';
const BEN = '22222222-2222-4222-8222-222222222222';
const tokenOf = (id: string) => jwt.issue({ id, role: 'customer' }).accessToken;
const DEPOSITS = `/api/customers/${ANA}/deposits`;

type Mode = 'legacy' | 'live';

async function connect(url: string): Promise<RedisConnection> {
  const redis = createRedisConnection({ url, reconnectBaseDelayMs: 20, reconnectMaxDelayMs: 200 }, 'pins-test');
  redis.on('error', () => undefined);
  await connectOrFail(redis, url);
  return redis;
}

describe('data plane: an Idempotency-Key stays with the upstream that took it first', () => {
  let legacy: StubUpstream;
  let payments: StubUpstream;
  let redis: RedisConnection;
  let facade: FacadeHarness;
  const registry = new Registry();
  const client = new TestClient();
  const prefix = uniqueTestPrefix('idem-pins');
  let keys = 0;
  /** A key of its own for each use, so that the tests share no pin. */
  const newKey = () => `key-${++keys}-${prefix}`;

  const rules = (mode: Mode, extra: Partial<RuleSetInput> = {}): RuleSetInput => ({
    legacy: 'legacy',
    upstreams: { legacy: { url: legacy.url }, payments: { url: payments.url } },
    routes: [
      {
        id: 'payments-deposit',
        match: { methods: ['POST'], path: '/api/customers/:id/deposits' },
        target: 'payments',
        mode,
      },
    ],
    ...extra,
  });

  /** A deposit as a customer's client sends it. */
  const deposit = (on: FacadeHarness, key: string | undefined, caller = ANA, method = 'POST'): Promise<Answer> =>
    client.send(method, `${on.url}${DEPOSITS}`, {
      headers: {
        authorization: `Bearer ${tokenOf(caller)}`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: method === 'GET' ? undefined : JSON.stringify({ amountCents: 500 }),
    });

  const seen = (answer: Answer) => ({
    status: answer.status,
    upstream: (answer.json as { upstream?: string } | undefined)?.upstream,
    pin: answer.headers['x-strangler-idempotency'],
  });

  /** How many keyed writes had this outcome, by the pins' counter. */
  const pinCount = async (registry: Registry, outcome: string) => {
    const metric = registry.getSingleMetric('strangler_idempotency_pins_total');
    const values = metric ? (await metric.get()).values : [];
    return values.filter((value) => value.labels.outcome === outcome).reduce((sum, value) => sum + value.value, 0);
  };

  const pinsOn = (connection: RedisConnection, registry: Registry, ttlMs = 60_000) =>
    new IdempotencyPins({ redis: connection, prefix, ttlMs, jwt, metrics: registry, timeoutMs: 300 });

  beforeAll(async () => {
    [legacy, payments, redis] = await Promise.all([
      startStubUpstream('legacy'),
      startStubUpstream('payments'),
      connect(TEST_REDIS_URL),
    ]);
    facade = await startFacade(rules('legacy'), { idempotency: pinsOn(redis, registry) });
  });

  afterAll(async () => {
    await closeAll(facade, client, legacy, payments);
    await deleteTestKeys(prefix);
    redis.destroy();
  });

  it('sends the retry of a key to its first upstream after the route moved, while a new key follows the rules', async () => {
    facade.swap(rules('legacy'));
    const key = newKey();
    expect(seen(await deposit(facade, key))).toEqual({ status: 200, upstream: 'legacy', pin: 'created' });

    facade.swap(rules('live'));
    const retry = await deposit(facade, key);
    expect(seen(retry)).toEqual({ status: 200, upstream: 'legacy', pin: 'followed' });
    expect(retry.headers['x-strangler-upstream']).toBe('legacy');
    expect(retry.headers['x-strangler-route']).toBe('payments-deposit');
    expect(seen(await deposit(facade, newKey()))).toEqual({ status: 200, upstream: 'payments', pin: 'created' });
    expect(seen(await deposit(facade, undefined))).toEqual({ status: 200, upstream: 'payments', pin: undefined });

    // What explain shows: the pin of this caller's key, none for a read or another key.
    const headers = { Authorization: `Bearer ${tokenOf(ANA)}`, 'Idempotency-Key': key };
    expect(await facade.dataPlane.idempotencyPin('post', headers)).toEqual({
      upstream: 'legacy',
      expiresInMs: expect.any(Number),
    });
    expect(await facade.dataPlane.idempotencyPin('POST', { ...headers, 'Idempotency-Key': newKey() })).toBeNull();
    expect(await facade.dataPlane.idempotencyPin('GET', headers)).toBeUndefined();
  });

  it('and the way back: a key first taken by the service stays there when the route returns to legacy', async () => {
    facade.swap(rules('live'));
    const key = newKey();
    expect(seen(await deposit(facade, key))).toEqual({ status: 200, upstream: 'payments', pin: 'created' });
    facade.swap(rules('legacy'));
    expect(seen(await deposit(facade, key))).toEqual({ status: 200, upstream: 'payments', pin: 'followed' });
    expect(await pinCount(registry, 'followed')).toBeGreaterThan(0);
  });

  it('does not pin another caller’s request with the same key', async () => {
    facade.swap(rules('legacy'));
    const key = newKey();
    expect(seen(await deposit(facade, key, ANA))).toEqual({ status: 200, upstream: 'legacy', pin: 'created' });
    facade.swap(rules('live'));
    expect(seen(await deposit(facade, key, BEN))).toEqual({ status: 200, upstream: 'payments', pin: 'created' });
    expect(seen(await deposit(facade, key, ANA))).toEqual({ status: 200, upstream: 'legacy', pin: 'followed' });
  });

  it('sends concurrent requests with one key to one side, across a change of the rules', async () => {
    facade.swap(rules('legacy'));
    const key = newKey();
    const first = deposit(facade, key);
    facade.swap(rules('live'));
    const answers = await Promise.all([first, ...Array.from({ length: 9 }, () => deposit(facade, key))]);
    const sides = new Set(answers.map((answer) => seen(answer).upstream));
    expect(sides.size).toBe(1);
    expect(answers.filter((answer) => answer.headers['x-strangler-idempotency'] === 'created')).toHaveLength(1);
  });

  it('shares the pins between instances: another facade sends the retry where the first, still unanswered, went', async () => {
    const first = await startFacade(rules('legacy'), { idempotency: pinsOn(redis, new Registry()) });
    const second = await startFacade(rules('live'), { idempotency: pinsOn(redis, new Registry()) });
    let held: ServerResponse | undefined;
    legacy.handle((_req, res) => (held = res));
    try {
      const key = newKey();
      // The first instance forwarded the request and has no answer yet (it might crash now).
      const unanswered = deposit(first, key).catch(() => undefined);
      await eventually(
        async () => held,
        (res) => res !== undefined,
      );
      legacy.handle(answerWithName);
      expect(seen(await deposit(second, key))).toEqual({ status: 200, upstream: 'legacy', pin: 'followed' });
      held?.end();
      await unanswered;
    } finally {
      legacy.handle(answerWithName);
      await closeAll(first, second);
    }
  });

  it('pins no read: a GET with a key goes by the rules and leaves nothing in Redis', async () => {
    facade.swap(rules('live'));
    const before = await countKeysUnder(`${prefix}strangler:idem:`);
    const answer = await deposit(facade, newKey(), ANA, 'GET');
    expect(seen(answer)).toEqual({ status: 200, upstream: 'legacy', pin: undefined });
    expect(await countKeysUnder(`${prefix}strangler:idem:`)).toBe(before);
  });

  it('follows the rules, and re-pins, when the pinned upstream is gone from them', async () => {
    facade.swap(rules('live'));
    const key = newKey();
    expect(seen(await deposit(facade, key))).toEqual({ status: 200, upstream: 'payments', pin: 'created' });
    const withoutPayments: RuleSetInput = { legacy: 'legacy', upstreams: { legacy: { url: legacy.url } }, routes: [] };
    facade.swap(withoutPayments);
    expect(seen(await deposit(facade, key))).toEqual({ status: 200, upstream: 'legacy', pin: 'stale' });
    facade.swap(rules('live'));
    await eventually(
      async () => seen(await deposit(facade, key)),
      (now) => now.upstream === 'legacy' && now.pin === 'followed',
    );
  });

  it('lets a pin expire after its time to live', async () => {
    const shortLived = await startFacade(rules('legacy'), { idempotency: pinsOn(redis, new Registry(), 300) });
    try {
      const key = newKey();
      expect(seen(await deposit(shortLived, key))).toEqual({ status: 200, upstream: 'legacy', pin: 'created' });
      const pins = await redis.keys(`${prefix}strangler:idem:*`);
      const ttls = await Promise.all(pins.map((pin) => redis.pTTL(pin)));
      expect(ttls.filter((ttl) => ttl > 0 && ttl <= 300)).toHaveLength(1);
      shortLived.swap(rules('live'));
      // Once the pin is gone, the key follows the rules as a new one.
      await eventually(
        async () => seen(await deposit(shortLived, key)),
        (now) => now.upstream === 'payments' && now.pin === 'created',
      );
    } finally {
      await shortLived.close();
    }
  });

  it('does not wait on a Redis that does not answer: the write goes by the rules after the pins’ timeout', async () => {
    const own = await RedisProcess.start();
    const [connection, admin] = await Promise.all([connect(own.url), connect(own.url)]);
    const stalled = await startFacade(rules('live'), {
      idempotency: new IdempotencyPins({
        redis: connection,
        prefix,
        ttlMs: 60_000,
        jwt,
        metrics: new Registry(),
        timeoutMs: 200,
      }),
    });
    try {
      // Writes wait until unpaused: the pin's SET gets no answer.
      await admin.sendCommand(['CLIENT', 'PAUSE', '30000', 'WRITE']);
      const startedAt = Date.now();
      expect(seen(await deposit(stalled, newKey()))).toEqual({ status: 200, upstream: 'payments', pin: 'unavailable' });
      expect(Date.now() - startedAt).toBeLessThan(5_000);
      // The SET still waiting fails once Redis is gone: the facade carries on.
      const failed = new Promise<void>((resolve) => connection.once('error', () => resolve()));
      await own.kill();
      await failed;
      expect(seen(await deposit(stalled, newKey()))).toEqual({ status: 200, upstream: 'payments', pin: 'unavailable' });
    } finally {
      await stalled.close();
      connection.destroy();
      admin.destroy();
      await own.stop();
    }
  });

  it('forwards by the rules while Redis is away, and pins again once it is back', async () => {
    const own = await RedisProcess.start();
    const connection = await connect(own.url);
    const ownRegistry = new Registry();
    const logged: string[] = [];
    const pins = new IdempotencyPins({
      redis: connection,
      prefix,
      ttlMs: 60_000,
      jwt,
      metrics: ownRegistry,
      timeoutMs: 300,
      logger: { log: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: () => undefined },
    });
    const away = await startFacade(rules('live'), { idempotency: pins });
    try {
      await own.kill();
      const key = newKey();
      expect(seen(await deposit(away, key))).toEqual({ status: 200, upstream: 'payments', pin: 'unavailable' });
      expect(await pinCount(ownRegistry, 'unavailable')).toBe(1);
      expect(logged).toEqual([expect.stringContaining('Idempotency-Key pins unavailable')]);

      await own.restart();
      await eventually(
        async () => seen(await deposit(away, key)).pin,
        (pin) => pin === 'created',
      );
    } finally {
      await away.close();
      connection.destroy();
      await own.stop();
    }
  });
});
