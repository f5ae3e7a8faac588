import { accessSync, constants, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackOutput } from './output';
import { DEFAULT_REDIS_PORT, RedisAddress, parseRedisUrl, pingRedis } from './redis-ping';
import { StackError } from './stack-errors';
import { SupervisedChild, describeExit } from './supervised-child';

export const REDIS_START_TIMEOUT_MS = 10_000;
export const REDIS_STOP_TIMEOUT_MS = 5_000;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const INSTALL_HINT = 'install Redis (apt-get install redis-server)';

/** The full path of an executable named `name` in `searchPath` (a `PATH` value), if there is one. */
export function findExecutable(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** A Redis the stack can use, and the `redis-server` the launcher started for it, if any. */
export interface RedisHandle {
  readonly url: string;
  /** The server the launcher started; undefined when a Redis already answered. */
  readonly server: SupervisedChild | undefined;
  /** Stops the server the launcher started (nothing otherwise). */
  stop(): Promise<void>;
}

export interface EnsureRedisOptions {
  /** `REDIS_URL`. */
  readonly url: string;
  /** `PATH`, where `redis-server` is looked for. */
  readonly searchPath: string;
  /**
   * The stack's data folder: a started server keeps its append-only file in `<dataDir>/redis`
   * (fsync every second), so its data outlives a restart. Without it, nothing is kept.
   */
  readonly dataDir?: string;
  /** Where a started server's output goes, prefixed `[redis]`. */
  readonly output: StackOutput;
  readonly pingTimeoutMs?: number;
  readonly startTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Makes sure a Redis answers at `REDIS_URL`. When nothing listens there, the host is local and
 * a `redis-server` is installed, starts one on that port (with an append-only file under
 * `dataDir/redis` when `dataDir` is given, nothing kept on disk otherwise) and returns a
 * handle that stops it; otherwise throws a {@link StackError} that says what to install or set.
 *
 * @example
 * const redis = await ensureRedis({ url: 'redis://127.0.0.1:6379', searchPath: process.env.PATH ?? '', output });
 * // … run the stack …
 * await redis.stop();
 */
/** Where a Redis started by the stack keeps its append-only file. */
export function redisDataDir(dataDir: string): string {
  return join(dataDir, 'redis');
}

export async function ensureRedis(options: EnsureRedisOptions): Promise<RedisHandle> {
  const address = parseRedisUrl(options.url);
  const where = `${options.url} (REDIS_URL)`;
  const found = await pingRedis(address, options.pingTimeoutMs);
  if (found.kind === 'redis') return { url: options.url, server: undefined, stop: async () => undefined };
  if (found.kind === 'not-redis') {
    throw new StackError(
      'STACK_REDIS_UNAVAILABLE',
      `Something listens at ${where} but does not answer PING like Redis (${found.detail}). ` +
        `Stop it, or set REDIS_URL to a Redis that answers.`,
    );
  }
  const local = LOCAL_HOSTS.has(address.host) && !address.tls;
  if (!local) {
    const reason = found.kind === 'refused' ? 'connection refused' : found.detail;
    throw new StackError(
      'STACK_REDIS_UNAVAILABLE',
      `No Redis answers at ${where}: ${reason}. Start Redis there, or set REDIS_URL to a Redis that answers; ` +
        `for a local one, ${INSTALL_HINT} and unset REDIS_URL: the stack then starts it on 127.0.0.1:${DEFAULT_REDIS_PORT}.`,
    );
  }
  if (found.kind === 'unreachable') {
    throw new StackError(
      'STACK_REDIS_UNAVAILABLE',
      `No Redis answers at ${where}: ${found.detail}. Set REDIS_URL to a Redis that answers.`,
    );
  }
  const executable = findExecutable('redis-server', options.searchPath);
  if (!executable) {
    throw new StackError(
      'STACK_REDIS_UNAVAILABLE',
      `No Redis answers at ${where} and no redis-server is installed to start one: ` +
        `${INSTALL_HINT}, or set REDIS_URL to a Redis that answers.`,
    );
  }
  return startRedisServer(executable, address, options);
}

async function startRedisServer(
  executable: string,
  address: RedisAddress,
  options: EnsureRedisOptions,
): Promise<RedisHandle> {
  const stopTimeoutMs = options.stopTimeoutMs ?? REDIS_STOP_TIMEOUT_MS;
  const folder = options.dataDir === undefined ? undefined : redisDataDir(options.dataDir);
  if (folder) mkdirSync(folder, { recursive: true });
  const server = SupervisedChild.start({
    name: 'redis',
    command: executable,
    args: [
      '--save',
      '',
      ...(folder ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', folder] : ['--appendonly', 'no']),
      '--port',
      String(address.port),
      '--bind',
      address.host === '::1' ? '::1' : '127.0.0.1',
    ],
    // Without a data folder nothing is saved, but a server's working folder is where it would write.
    cwd: folder ?? tmpdir(),
    env: { PATH: options.searchPath },
    ipc: false,
    output: options.output,
  });
  const handle: RedisHandle = {
    url: options.url,
    server,
    stop: async () => {
      await server.stop(stopTimeoutMs);
    },
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? REDIS_START_TIMEOUT_MS);
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      if (!server.running) {
        const exit = await server.exited;
        throw new StackError(
          'STACK_REDIS_UNAVAILABLE',
          `redis-server could not start on port ${address.port} (${describeExit(exit)}; see its output above). ` +
            `Set REDIS_URL to a Redis that answers.`,
        );
      }
      if ((await pingRedis(address, options.pingTimeoutMs)).kind === 'redis') return handle;
      if (Date.now() >= deadline) {
        throw new StackError(
          'STACK_REDIS_UNAVAILABLE',
          `redis-server started on port ${address.port} but did not answer PING within ` +
            `${options.startTimeoutMs ?? REDIS_START_TIMEOUT_MS} ms. Set REDIS_URL to a Redis that answers.`,
        );
      }
      await sleep(100, undefined, { signal: options.signal });
    }
  } catch (error) {
    await handle.stop();
    throw error;
  }
}
