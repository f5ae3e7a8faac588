import type { LoggerService } from '@nestjs/common';
import type { RedisConnection } from '@app/redis-streams';

class RedisTimeoutError extends Error {}

export interface RedisGuardOptions {
  /** A connection that fails commands at once while it is down (`createRedisConnection`). */
  readonly redis: RedisConnection;
  /** How long a request waits for Redis before it goes on without it. */
  readonly timeoutMs: number;
  readonly logger?: LoggerService;
  /** The logger context of the lines below. */
  readonly context: string;
  /** The line logged once when Redis stops answering (given why), and the one when it answers again. */
  readonly down: (why: string) => string;
  readonly back: string;
}

/**
 * Runs the data plane's Redis commands so that Redis away never holds a request: a command
 * answers within `timeoutMs` or counts as unavailable (`undefined`), at once when the
 * connection is down. One line is logged when Redis stops answering, one when it answers again.
 */
export class RedisGuard {
  private down = false;

  constructor(private readonly options: RedisGuardOptions) {}

  get redis(): RedisConnection {
    return this.options.redis;
  }

  /** The command's answer, or `undefined` when Redis is not connected, failed or did not answer in time. */
  async run<T>(command: (redis: RedisConnection) => Promise<T>): Promise<T | undefined> {
    const { redis, timeoutMs } = this.options;
    if (!redis.isReady) return this.unavailable('not connected');
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RedisTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      const answer = await Promise.race([command(redis), timeout]);
      if (this.down) {
        this.down = false;
        this.options.logger?.log(this.options.back, this.options.context);
      }
      return answer;
    } catch (error) {
      return this.unavailable(error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
  }

  private unavailable(why: string): undefined {
    // Once per outage: every request would say the same.
    if (!this.down) {
      this.down = true;
      this.options.logger?.warn(this.options.down(why), this.options.context);
    }
    return undefined;
  }
}
