import { Pool } from 'undici';

export interface UpstreamPoolOptions {
  readonly connectionsPerUrl: number;
  readonly connectTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** How long a URL that refused a connection is skipped while its upstream has others. */
  readonly cooldownMs: number;
  readonly onDown?: (url: string, error: Error) => void;
}

/**
 * One keep-alive connection pool per upstream URL, and the choice of URL: round-robin over
 * an upstream's URLs, skipping those that failed to connect in the last `cooldownMs`
 * (unless all have; then the one down the longest is tried).
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  private readonly downUntil = new Map<string, number>();
  private readonly cursors = new Map<string, number>();
  private closing = false;

  constructor(private readonly options: UpstreamPoolOptions) {}

  /** The next URL of `upstream` to call, not one of `tried`; undefined when none is left. */
  pick(upstream: string, urls: readonly string[], now: number, tried?: ReadonlySet<string>): string | undefined {
    const count = urls.length;
    if (count === 1) {
      const only = urls[0] as string;
      return tried?.has(only) ? undefined : only;
    }
    const start = this.cursors.get(upstream) ?? 0;
    this.cursors.set(upstream, (start + 1) % Math.max(count, 1));
    let fallback: string | undefined;
    let fallbackUntil = Infinity;
    for (let i = 0; i < count; i++) {
      const url = urls[(start + i) % count] as string;
      if (tried?.has(url)) continue;
      const until = this.downUntil.get(url);
      if (until === undefined || until <= now) return url;
      if (until < fallbackUntil) {
        fallback = url;
        fallbackUntil = until;
      }
    }
    return fallback;
  }

  pool(url: string): Pool {
    let pool = this.pools.get(url);
    if (!pool) {
      pool = new Pool(url, {
        connections: this.options.connectionsPerUrl,
        pipelining: 1,
        keepAliveTimeout: this.options.keepAliveTimeoutMs,
        // The exchange times each attempt itself (from its start, and idle while streaming).
        headersTimeout: 0,
        bodyTimeout: 0,
        connect: { timeout: this.options.connectTimeoutMs },
      });
      this.pools.set(url, pool);
    }
    return pool;
  }

  markDown(url: string, now: number, error: Error): void {
    const wasUp = (this.downUntil.get(url) ?? 0) <= now;
    this.downUntil.set(url, now + this.options.cooldownMs);
    if (wasUp) this.options.onDown?.(url, error);
  }

  markUp(url: string): void {
    if (this.downUntil.size > 0) this.downUntil.delete(url);
  }

  /**
   * Closes the pools of URLs no longer in the rules (gracefully: requests under way on them
   * finish). A request that started on older rules and calls such a URL again gets a new
   * pool, closed at the next change or at shutdown.
   */
  retain(urls: ReadonlySet<string>, upstreams: ReadonlySet<string>): void {
    for (const [url, pool] of this.pools) {
      if (urls.has(url)) continue;
      this.pools.delete(url);
      void pool.close().catch(() => undefined);
    }
    for (const url of this.downUntil.keys()) if (!urls.has(url)) this.downUntil.delete(url);
    for (const name of this.cursors.keys()) if (!upstreams.has(name)) this.cursors.delete(name);
  }

  /** Closes every pool: gracefully within `timeoutMs`, then by force. */
  async close(timeoutMs: number): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(
      pools.map(async (pool) => {
        let timer: NodeJS.Timeout | undefined;
        const forced = new Promise<void>((resolve) => {
          timer = setTimeout(() => void pool.destroy().then(resolve, resolve), timeoutMs);
        });
        await Promise.race([pool.close().catch(() => undefined), forced]);
        clearTimeout(timer);
      }),
    );
  }
}
