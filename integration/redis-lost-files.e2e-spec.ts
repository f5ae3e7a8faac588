import { RedisProcess } from '../tools/testing/redis-process';
import { FaultStack } from './support/fault-stack';

interface History {
  readonly versions: readonly { readonly version: number; readonly reason?: string }[];
}

describe('convergence after Redis restarted without its files: the stack on a redis-server of the test’s own, with an append-only file', () => {
  let redis: RedisProcess;
  let faults: FaultStack;

  beforeAll(async () => {
    // The launcher uses a Redis that answers at REDIS_URL and leaves it alone: restarting it is the test's.
    redis = await RedisProcess.start({ appendOnly: true });
    faults = await FaultStack.start('redis-files', redis.url);
  }, 180_000);

  afterAll(async () => {
    await faults?.stop();
    await redis?.stop();
  }, 60_000);

  it('Redis SIGKILLed under load, its append-only files deleted, started again empty: every side equal, every 2xx answer on every side, no dead letter, the rules and their history kept', async () => {
    const stack = faults.stack;
    const history = () => stack.strangler<History>('rules', 'history');
    const before = await history();
    const version = await stack.routingVersion();
    expect(before.versions.map((entry) => entry.version)).toContain(version);

    // A key of the test's own, which nothing writes again: gone after the restart, as everything was.
    const marker = `${stack.redisPrefix}test:before-the-restart`;
    await faults.redis((client) => client.set(marker, 'kept?'));
    await faults.underLoad(async () => {
      await redis.kill();
      redis.deleteFiles();
      await redis.restart();
      expect(await faults.redis((client) => client.exists(marker))).toBe(0);
    });

    // The facade wrote its rules and their history back from its own copy: it routes as before, and
    // `rules history` answers as it did.
    expect(await stack.routingVersion()).toBe(version);
    expect(await history()).toEqual(before);
  }, 240_000);
});
