import { type RedisArgument, createClient } from 'redis';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { ClusterConnection } from './cluster-connection';
import { StreamsError } from './errors';
import { parseRedisUrl, safeUrl } from './redis-url';

type NodeClient = ReturnType<typeof createClient>;
/** An event listener, as node-redis types it. */
type Listener = Parameters<NodeClient['on']>[1];

/**
 * The typed commands of node-redis that this code base runs on a {@link RedisConnection}. A
 * client and a cluster both run them, with the same signatures; add one here when code needs it.
 */
export type TypedCommand =
  | 'del'
  | 'eval'
  | 'evalSha'
  | 'exists'
  | 'get'
  | 'hGetAll'
  | 'hmGet'
  | 'hSet'
  | 'keys'
  | 'mGet'
  | 'pTTL'
  | 'publish'
  | 'scan'
  | 'set'
  | 'unlink'
  | 'xAdd'
  | 'xLen'
  | 'xRange'
  | 'xRevRange'
  | 'zRem';

/** A `MULTI` block: commands queued with `addCommand`, run atomically by `exec`. */
export interface RedisMulti {
  addCommand(args: ReadonlyArray<RedisArgument>): RedisMulti;
  exec(): Promise<unknown>;
}

/**
 * A connection to Redis, as {@link createRedisConnection} makes it: a node-redis client on a
 * single Redis, or a {@link ClusterConnection} on a Redis Cluster, which answers the same calls.
 * It fails commands at once while it is down, and reconnects by itself.
 */
export interface RedisConnection extends Pick<NodeClient, TypedCommand | 'sendCommand' | 'close' | 'destroy'> {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  /** `url` is the URL it was made with. */
  readonly options?: { readonly url?: string };
  /** Queues commands for one `MULTI`; on a cluster every key in it must share one slot. */
  multi(): RedisMulti;
  /** Another connection like this one (for pub/sub, or a blocking read). */
  duplicate(): RedisConnection;
  connect(): Promise<unknown>;
  subscribe(channels: string | string[], listener: (message: string, channel: string) => void): Promise<void>;
  on(event: string | symbol, listener: Listener): this;
  once(event: string | symbol, listener: Listener): this;
  off(event: string | symbol, listener: Listener): this;
}

/** What the transport reports as `status`. */
export type RedisStreamsStatus = 'connected' | 'disconnected' | 'reconnecting';

export interface ConnectionSettings {
  /** `redis://` or `rediss://`; `?cluster=true` when it names a node of a Redis Cluster. */
  readonly url: string;
  readonly reconnectBaseDelayMs: number;
  readonly reconnectMaxDelayMs: number;
}

/** What a connection is for. */
export interface ConnectionUse {
  /**
   * Blocking reads (`XREADGROUP … BLOCK`): on a cluster it connects to a node only once it reads
   * there, instead of to every master. Default false.
   */
  readonly blocking?: boolean;
}

/** Exponential backoff with full jitter over the upper half, capped. */
export function reconnectDelay(retries: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(retries, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * A Redis connection that reconnects with backoff and rejects commands at once while
 * it is down (no offline queue), so that callers fail fast instead of hanging. The URL says
 * whether Redis is a single server or a cluster (`?cluster=true`, see {@link parseRedisUrl}):
 * on a single server it is a node-redis client, on a cluster a {@link ClusterConnection}.
 * Throws `STREAMS_OPTIONS_INVALID` for a URL that is not a Redis URL.
 */
export function createRedisConnection(
  settings: ConnectionSettings,
  name: string,
  use: ConnectionUse = {},
): RedisConnection {
  const reconnectStrategy = (retries: number) =>
    reconnectDelay(retries, settings.reconnectBaseDelayMs, settings.reconnectMaxDelayMs);
  const { url, cluster } = parseRedisUrl(settings.url);
  if (cluster) {
    return ClusterConnection.create({
      ...settings,
      seedUrl: url,
      name,
      lazy: use.blocking ?? false,
      reconnectStrategy,
    });
  }
  return createClient({
    url: settings.url,
    name,
    // The transport parses raw replies; RESP2 gives arrays, the same on every server version.
    RESP: 2,
    disableOfflineQueue: true,
    // node-redis 6 arms an AbortSignal.timeout (5 s) for every command by default, to fail it
    // if it cannot be written in time; that alone costs a third of a busy connection's CPU.
    // disableOfflineQueue already fails commands at once while the connection is down.
    commandOptions: { timeout: 0 },
    socket: { connectTimeout: 5_000, reconnectStrategy },
  });
}

/** Whether a connection is to a Redis Cluster, so that keys used together need a hash tag ({@link keyGroupPrefix}). */
export function isClusterConnection(connection: RedisConnection): boolean {
  return connection instanceof ClusterConnection;
}

/**
 * Tracks the status of a set of connections: `connected` when all are ready,
 * `reconnecting` while any is reconnecting, `disconnected` otherwise.
 */
export class ConnectionStatus {
  private readonly subject = new BehaviorSubject<RedisStreamsStatus>('disconnected');
  private readonly states = new Map<RedisConnection, RedisStreamsStatus>();

  readonly changes: Observable<RedisStreamsStatus> = this.subject.pipe(distinctUntilChanged());

  get current(): RedisStreamsStatus {
    return this.subject.value;
  }

  watch(connection: RedisConnection, onError: (error: Error) => void): void {
    this.states.set(connection, 'disconnected');
    connection.on('ready', () => this.set(connection, 'connected'));
    connection.on('reconnecting', () => this.set(connection, 'reconnecting'));
    connection.on('end', () => this.set(connection, 'disconnected'));
    connection.on('error', (error: Error) => {
      if (this.states.get(connection) === 'connected') this.set(connection, 'reconnecting');
      onError(error);
    });
  }

  /** Stops counting a connection given up on (its first connect failed; a new one replaces it). */
  forget(connection: RedisConnection): void {
    if (this.states.delete(connection)) this.update();
  }

  private set(connection: RedisConnection, state: RedisStreamsStatus): void {
    if (!this.states.has(connection)) return;
    this.states.set(connection, state);
    this.update();
  }

  private update(): void {
    const all = [...this.states.values()];
    this.subject.next(
      all.every((s) => s === 'connected')
        ? 'connected'
        : all.some((s) => s === 'reconnecting')
          ? 'reconnecting'
          : 'disconnected',
    );
  }
}

/** The server's version, to use newer stream features only where they exist. */
export async function redisVersion(connection: RedisConnection): Promise<[number, number, number]> {
  const info = String(await connection.sendCommand(['INFO', 'server']));
  const match = /redis_version:(\d+)\.(\d+)\.(\d+)/.exec(info);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
}

export function atLeast(version: readonly number[], wanted: readonly number[]): boolean {
  for (let i = 0; i < wanted.length; i++) {
    const have = version[i] ?? 0;
    const want = wanted[i] ?? 0;
    if (have !== want) return have > want;
  }
  return true;
}

/**
 * Connects, or fails at the first error instead of retrying forever: a process that
 * cannot reach Redis at start-up says so. Once connected, the connection reconnects
 * by itself.
 */
export async function connectOrFail(connection: RedisConnection, url: string): Promise<void> {
  let onError: ((error: Error) => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    onError = (error: Error) => reject(error);
    connection.once('error', onError);
  });
  try {
    await Promise.race([connection.connect(), failed]);
  } catch (error) {
    connection.destroy();
    throw new StreamsError(
      'STREAMS_CONNECTION_LOST',
      `Redis at ${safeUrl(url)} is unreachable: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    if (onError) connection.off('error', onError);
    failed.catch(() => undefined);
  }
}

/** Maps a failed command to the transport's error: connection trouble, or something else. */
export function commandError(error: unknown, what: string): StreamsError {
  const message = error instanceof Error ? error.message : String(error);
  const lost =
    error instanceof Error &&
    /closed|offline|ECONNREFUSED|ECONNRESET|EPIPE|Socket|connection/i.test(`${error.name} ${message}`);
  return new StreamsError(lost ? 'STREAMS_CONNECTION_LOST' : 'STREAMS_PUBLISH_FAILED', `${what}: ${message}`);
}
