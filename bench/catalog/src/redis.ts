import { createClient } from 'redis';

/** The coordinator's own Redis connection: the server's version, and clearing the run's keys. */
export function adminConnection(url: string) {
  const redis = createClient({ url, RESP: 2 });
  redis.on('error', () => undefined);
  return redis;
}

export type AdminConnection = ReturnType<typeof adminConnection>;

/**
 * The run's admin connection, connected; its keys under `prefix` are deleted (and the connection
 * closed) when `teardown` runs. Registered first, it runs last: after every process that writes
 * keys has stopped.
 */
export async function runConnection(
  url: string,
  prefix: string,
  teardown: { add(name: string, undo: () => Promise<unknown>): void },
  log: (line: string) => void,
): Promise<AdminConnection> {
  const redis = adminConnection(url);
  await redis.connect();
  teardown.add('delete the Redis keys', async () => {
    const deleted = await deleteKeys(redis, prefix);
    log(`deleted ${deleted} key(s) under ${prefix}`);
    await redis.close();
  });
  return redis;
}

export async function redisVersion(redis: AdminConnection): Promise<string> {
  const info = String(await redis.sendCommand(['INFO', 'server']));
  return /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown';
}

/** Deletes every key under `prefix` (which must be a benchmark's); how many. */
export async function deleteKeys(redis: AdminConnection, prefix: string): Promise<number> {
  if (!prefix.startsWith('ficus-bench:')) throw new Error(`Refusing to delete keys outside ficus-bench: (${prefix})`);
  let deleted = 0;
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) deleted += await redis.del(keys);
  }
  return deleted;
}

/**
 * The Redis server's CPU time so far (user + system, all its threads), in µs, from `INFO cpu`.
 * The server may serve others too: a difference counts their commands as well.
 */
export async function redisCpuMicros(redis: AdminConnection): Promise<number | undefined> {
  try {
    const info = String(await redis.sendCommand(['INFO', 'cpu']));
    const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1]);
    const seconds = field('used_cpu_user') + field('used_cpu_sys');
    return Number.isFinite(seconds) ? seconds * 1_000_000 : undefined;
  } catch {
    return undefined;
  }
}
