import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { RedisHandle, ensureRedis, redisDataDir } from '../src/redis-check';
import { parseRedisUrl, pingRedis } from '../src/redis-ping';
import { StackOutput } from '../src/output';
import { isListening } from '../src/readiness';
import { freePort, isRunning } from './support/launcher';

function collect(): StackOutput & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line), err: (line) => lines.push(line) };
}

const connect = (url: string) => createClient({ url });

async function withClient<T>(url: string, work: (redis: ReturnType<typeof connect>) => Promise<T>): Promise<T> {
  const redis = connect(url);
  await redis.connect();
  try {
    return await work(redis);
  } finally {
    redis.destroy();
  }
}

describe('ensureRedis', () => {
  const searchPath = process.env.PATH ?? '';
  let handle: RedisHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it('uses the Redis that already answers and starts nothing', async () => {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    handle = await ensureRedis({ url, searchPath, output: collect() });
    expect(handle.server).toBeUndefined();
  });

  it('starts a redis-server where nothing listens on a local port, and stopping it frees the port', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const output = collect();
    handle = await ensureRedis({ url, searchPath, output });

    expect(handle.server?.pid).toEqual(expect.any(Number));
    expect(await pingRedis(parseRedisUrl(url))).toEqual({ kind: 'redis' });
    expect(output.lines.some((line) => line.startsWith('[redis] '))).toBe(true);

    const pid = handle.server!.pid!;
    await handle.stop();
    expect(isRunning(pid)).toBe(false);
    expect(await isListening('127.0.0.1', port)).toBe(false);
    expect(await pingRedis(parseRedisUrl(url))).toEqual({ kind: 'refused' });
  });

  it('keeps what the started redis-server stored in an append-only file under the data folder, across a restart', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'ficus-redis-'));
    try {
      handle = await ensureRedis({ url, searchPath, output: collect(), dataDir });
      await withClient(url, (redis) => redis.set('kept', 'across restarts'));
      await handle.stop();
      expect(readdirSync(redisDataDir(dataDir)).length).toBeGreaterThan(0);

      handle = await ensureRedis({ url, searchPath, output: collect(), dataDir });
      expect(await withClient(url, (redis) => redis.get('kept'))).toBe('across restarts');
    } finally {
      await handle?.stop();
      handle = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('says what to set or install when a non-local Redis does not answer', async () => {
    const attempt = ensureRedis({ url: 'redis://192.0.2.1:6379', searchPath, output: collect(), pingTimeoutMs: 500 });
    await expect(attempt).rejects.toMatchObject({ code: 'STACK_REDIS_UNAVAILABLE' });
    await expect(attempt).rejects.toThrow(/No Redis answers at redis:\/\/192\.0\.2\.1:6379 \(REDIS_URL\)/);
    await expect(attempt).rejects.toThrow(/set REDIS_URL to a Redis that answers/);
    await expect(attempt).rejects.toThrow(/apt-get install redis-server/);
  });

  it('says to install redis-server when none is on PATH', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const attempt = ensureRedis({ url, searchPath: '/nonexistent', output: collect() });
    await expect(attempt).rejects.toThrow(
      /no redis-server is installed to start one: install Redis \(apt-get install redis-server\), or set REDIS_URL/,
    );
  });

  it('does not start a server over something else listening on the port', async () => {
    const other = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = other.address() as AddressInfo;
      const attempt = ensureRedis({ url: `redis://127.0.0.1:${port}`, searchPath, output: collect() });
      await expect(attempt).rejects.toThrow(/does not answer PING like Redis/);
    } finally {
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('rejects a REDIS_URL that is not a Redis URL', async () => {
    await expect(ensureRedis({ url: 'http://127.0.0.1:6379', searchPath, output: collect() })).rejects.toThrow(
      /REDIS_URL is "http:\/\/127.0.0.1:6379"; allowed: redis:\/\/host:port/,
    );
  });
});
