import { randomBytes } from 'node:crypto';
import { type DynamicModule, type INestMicroservice, Module, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { NestFactory } from '@nestjs/core';
import { type Observable, lastValueFrom, toArray } from 'rxjs';
import {
  type RedisConnection,
  RedisStreamsClient,
  type RedisStreamsClientOptions,
  RedisStreamsServer,
  type RedisStreamsServerOptions,
  STREAMS_ERRORS,
  StreamKeys,
} from '@app/redis-streams';
import { ERROR_CATALOG, SERVICE_ERRORS, ServiceExceptionFilter, mergeErrorCatalogs } from '@app/service-defaults';
import {
  type RedisTarget,
  SINGLE_REDIS,
  connectToTarget,
  deleteKeysUnder,
  keysUnder,
} from '../../../../tools/testing/redis-cluster';

export { RedisTargets, type RedisTarget } from '../../../../tools/testing/redis-cluster';
export { TEST_REDIS_URL } from '../../../../tools/testing/test-redis';

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

type ServiceOptions = Omit<RedisStreamsServerOptions, 'prefix' | 'url'> & { url?: string };
type ClientOptions = Omit<RedisStreamsClientOptions, 'prefix' | 'url'> & { url?: string };

/** XPENDING summary of a group, as numbers. */
export interface PendingSummary {
  readonly count: number;
  readonly consumers: Record<string, number>;
}

/**
 * Real Redis, real Nest microservices and clients under one prefix, on one target: the shared
 * test Redis (the default) or a Redis Cluster ({@link RedisTargets}). `closeAll()` (after each
 * test) closes everything made so far; `cleanup()` (after all) also deletes every key under
 * the prefix and closes the harness's own connection.
 */
export class StreamsHarness {
  readonly prefix = uniquePrefix();
  /** The keys of this prefix, laid out for the target (hash tags on a cluster). */
  readonly keyLayout: StreamKeys;
  private connection?: RedisConnection;
  private targetUrl?: string;
  private closers: (() => Promise<unknown>)[] = [];

  constructor(readonly target: RedisTarget = SINGLE_REDIS) {
    this.keyLayout = new StreamKeys(this.prefix, { cluster: target.cluster });
  }

  async start(): Promise<this> {
    const url = await this.target.url();
    this.connection = await connectToTarget(url, 'streams-harness');
    this.targetUrl = url;
    return this;
  }

  /** The harness's own connection to the target (after {@link start}). */
  get redis(): RedisConnection {
    if (!this.connection) throw new Error('StreamsHarness.start() has not run');
    return this.connection;
  }

  /** The target's URL, as services and clients are given it (after {@link start}). */
  get url(): string {
    if (!this.targetUrl) throw new Error('StreamsHarness.start() has not run');
    return this.targetUrl;
  }

  /** The key of a name under this harness's prefix, as the transport lays it out: `key('evt:x')`, `key('rep:a:b')`. */
  key(name: string): string {
    return this.keyLayout.named(name);
  }

  /** Runs `close` in `closeAll()`, newest first. */
  defer(close: () => Promise<unknown> | unknown): void {
    this.closers.push(async () => close());
  }

  async service(
    controllers: Type<unknown>[],
    options: ServiceOptions,
    providers: DynamicModule['providers'] = [],
  ): Promise<RunningService> {
    @Module({ imports: [ErrorFilterModule], controllers, providers })
    class ServiceModule {}
    const server = new RedisStreamsServer({ prefix: this.prefix, ...options, url: options.url ?? this.url });
    const app = await NestFactory.createMicroservice(ServiceModule, { strategy: server, logger: false });
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await app.close();
    };
    this.closers.push(close);
    await app.listen();
    return { app, server, close };
  }

  async client(options: ClientOptions): Promise<RedisStreamsClient> {
    const client = new RedisStreamsClient({ prefix: this.prefix, ...options, url: options.url ?? this.url });
    this.closers.push(() => client.close());
    await client.connect();
    return client;
  }

  /** The keys under this harness's prefix (on a cluster, of every master). */
  keys(): Promise<string[]> {
    return keysUnder(this.redis, this.prefix);
  }

  /** The entries of a stream (full key), oldest first, fields as a record. */
  async entries(stream: string): Promise<{ id: string; fields: Record<string, string> }[]> {
    const reply = (await this.redis.sendCommand(['XRANGE', stream, '-', '+'])) as [string, string[]][];
    return reply.map(([id, fields]) => {
      const record: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i] as string] = fields[i + 1] as string;
      return { id, fields: record };
    });
  }

  async length(stream: string): Promise<number> {
    return Number(await this.redis.sendCommand(['XLEN', stream]));
  }

  /** Entries delivered to the group and not acknowledged (0 when the group or stream is missing). */
  async pending(stream: string, group: string): Promise<PendingSummary> {
    let reply: [number, string | null, string | null, [string, string][] | null];
    try {
      reply = (await this.redis.sendCommand(['XPENDING', stream, group])) as typeof reply;
    } catch (error) {
      if (error instanceof Error && /NOGROUP|no such key/i.test(error.message)) return { count: 0, consumers: {} };
      throw error;
    }
    const consumers: Record<string, number> = {};
    for (const [name, count] of reply[3] ?? []) consumers[name] = Number(count);
    return { count: Number(reply[0]), consumers };
  }

  /** Closes every service and client made so far (newest first). */
  async closeAll(): Promise<void> {
    const closers = this.closers.reverse();
    this.closers = [];
    for (const close of closers) await close().catch(() => undefined);
  }

  /** Between tests: closes everything and deletes every key under the prefix, so tests never see each other's streams. */
  async reset(): Promise<void> {
    await this.closeAll();
    await deleteKeysUnder(this.redis, this.prefix);
  }

  async cleanup(): Promise<void> {
    await this.closeAll();
    if (!this.connection?.isOpen) return;
    await deleteKeysUnder(this.redis, this.prefix);
    await this.redis.close();
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

/** The error an observable fails with (fails the test if it completes instead). */
export async function failureOf(source: Observable<unknown>): Promise<Error & { code?: string }> {
  const values = await lastValueFrom(source.pipe(toArray())).then(
    (result) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (values.ok) throw new Error(`Expected a failure, got ${JSON.stringify(values.result)}`);
  return values.error as Error & { code?: string };
}

/** A promise with its resolver, for handlers that wait on the test. */
export function latch<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Whether `work` settles within `ms` (its timer is cleared either way). */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
