import { createClient } from 'redis';
import { StreamsError } from './errors';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';

export type RedisConnection = ReturnType<typeof createClient>;

/** What the transport reports as `status`. */
export type RedisStreamsStatus = 'connected' | 'disconnected' | 'reconnecting';

export interface ConnectionSettings {
  readonly url: string;
  readonly reconnectBaseDelayMs: number;
  readonly reconnectMaxDelayMs: number;
}

/** Exponential backoff with full jitter over the upper half, capped. */
export function reconnectDelay(retries: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(retries, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * A Redis connection that reconnects with backoff and rejects commands at once while
 * it is down (no offline queue), so that callers fail fast instead of hanging.
 */
export function createRedisConnection(settings: ConnectionSettings, name: string): RedisConnection {
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
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries) =>
        reconnectDelay(retries, settings.reconnectBaseDelayMs, settings.reconnectMaxDelayMs),
    },
  });
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

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
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
