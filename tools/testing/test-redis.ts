import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';

/** Where the tests find Redis. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own (`ficus-test:<label>-<random>:`), so runs on the shared Redis never collide. */
export function uniqueTestPrefix(label: string): string {
  return `ficus-test:${label}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key under a test prefix; refuses any other prefix. */
export async function deleteTestKeys(prefix: string): Promise<void> {
  if (!prefix.startsWith('ficus-test:')) throw new Error(`Refusing to delete keys outside ficus-test: (${prefix})`);
  await deleteKeysUnder(prefix);
}

/** Deletes every key under `prefix` (glob characters in it are taken as such): for a prefix the test owns. */
export async function deleteKeysUnder(prefix: string): Promise<void> {
  await withRedis(async (redis) => {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) await redis.unlink(keys);
    }
  });
}

/** How many keys there are under `prefix`. */
export function countKeysUnder(prefix: string): Promise<number> {
  return withRedis(async (redis) => {
    let count = 0;
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) count += keys.length;
    return count;
  });
}

const testClient = () => createClient({ url: TEST_REDIS_URL });

async function withRedis<T>(work: (redis: ReturnType<typeof testClient>) => Promise<T>): Promise<T> {
  const redis = testClient();
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await work(redis);
  } finally {
    redis.destroy();
  }
}
