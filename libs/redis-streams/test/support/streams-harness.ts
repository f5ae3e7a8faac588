import { randomBytes } from 'node:crypto';
import { type DynamicModule, type INestMicroservice, Module, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { NestFactory } from '@nestjs/core';
import { createClient } from 'redis';
import {
  RedisStreamsClient,
  type RedisStreamsClientOptions,
  RedisStreamsServer,
  type RedisStreamsServerOptions,
  STREAMS_ERRORS,
} from '@app/redis-streams';
import { ERROR_CATALOG, SERVICE_ERRORS, ServiceExceptionFilter, mergeErrorCatalogs } from '@app/service-defaults';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own for each test file, so runs never collide. */
export function uniquePrefix(): string {
  return `ficus-test:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`;
}

/** The error filter of a real service, for handlers whose errors must keep their codes. */
@Module({
  providers: [
    { provide: ERROR_CATALOG, useValue: mergeErrorCatalogs(SERVICE_ERRORS, STREAMS_ERRORS) },
    { provide: APP_FILTER, useClass: ServiceExceptionFilter },
  ],
})
class ErrorFilterModule {}

export interface RunningService {
  readonly app: INestMicroservice;
  readonly server: RedisStreamsServer;
  close(): Promise<void>;
}

/**
 * Real Redis, real Nest microservices and clients under one prefix; everything made is
 * closed and every key under the prefix deleted by `cleanup()`.
 */
export class StreamsHarness {
  readonly prefix = uniquePrefix();
  readonly redis = createClient({ url: TEST_REDIS_URL });
  private readonly closers: (() => Promise<unknown>)[] = [];

  async start(): Promise<this> {
    await this.redis.connect();
    return this;
  }

  async service(
    controllers: Type<unknown>[],
    options: Omit<RedisStreamsServerOptions, 'prefix' | 'url'>,
    providers: DynamicModule['providers'] = [],
  ): Promise<RunningService> {
    @Module({ imports: [ErrorFilterModule], controllers, providers })
    class ServiceModule {}
    const server = new RedisStreamsServer({ url: TEST_REDIS_URL, prefix: this.prefix, ...options });
    const app = await NestFactory.createMicroservice(ServiceModule, { strategy: server, logger: false });
    await app.listen();
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await app.close();
    };
    this.closers.push(close);
    return { app, server, close };
  }

  async client(options: Omit<RedisStreamsClientOptions, 'prefix' | 'url'>): Promise<RedisStreamsClient> {
    const client = new RedisStreamsClient({ url: TEST_REDIS_URL, prefix: this.prefix, ...options });
    await client.connect();
    this.closers.push(() => client.close());
    return client;
  }

  /** The keys under this harness's prefix. */
  async keys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const batch of this.redis.scanIterator({ MATCH: `${this.prefix}*`, COUNT: 1000 })) keys.push(...batch);
    return keys.sort();
  }

  async cleanup(): Promise<void> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    const keys = await this.keys();
    if (keys.length > 0) await this.redis.del(keys);
    await this.redis.quit();
  }
}

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}
