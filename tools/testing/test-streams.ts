import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { StreamKeys } from '@app/redis-streams';
import { TEST_REDIS_URL } from './test-redis';

/** One entry of an event stream, decoded. */
export interface StreamEvent<T = Record<string, unknown>> {
  readonly entryId: string;
  /** The envelope id (for integration events, the event id). */
  readonly id: string;
  readonly pattern: string;
  readonly data: T;
  readonly meta: Record<string, unknown>;
}

/** One dead-lettered message: its id and pattern, why, and after how many deliveries. */
export interface DeadLetterEntry {
  readonly id: string;
  readonly pattern: string;
  readonly reason: { code: string; message: string };
  readonly deliveries: number;
}

const connect = (url: string) => createClient({ url });

/** Runs `work` with a connection to the test Redis (or `url`), closed afterwards. */
export async function withRedis<T>(
  work: (redis: ReturnType<typeof connect>) => Promise<T>,
  url = TEST_REDIS_URL,
): Promise<T> {
  const redis = connect(url);
  redis.on('error', () => undefined);
  await redis.connect();
  try {
    return await work(redis);
  } finally {
    redis.destroy();
  }
}

/** Every entry of `<prefix>evt:<pattern>`, oldest first (on the test Redis unless `url` names another single Redis). */
export function readEvents<T = Record<string, unknown>>(
  prefix: string,
  pattern: string,
  url = TEST_REDIS_URL,
): Promise<StreamEvent<T>[]> {
  return withRedis(async (redis) => {
    const entries = await redis.xRange(new StreamKeys(prefix).events(pattern), '-', '+');
    return (entries ?? []).map(({ id: entryId, message }) => ({
      entryId,
      id: String(message.id),
      pattern: String(message.pattern),
      data: JSON.parse(String(message.data)) as T,
      meta: JSON.parse(String(message.meta)) as Record<string, unknown>,
    }));
  }, url);
}

/** Polls `read` until `done` holds for its result (or fails after `timeoutMs` with the last result). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 2_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Appends an integration event as another service's relay would: the envelope id is the
 * event's `id` (a new one if `data` has none). Returns the entry id.
 */
export function publishEvent(
  prefix: string,
  pattern: string,
  data: Record<string, unknown>,
  origin = typeof data.origin === 'string' ? data.origin : 'test',
): Promise<string> {
  const id = typeof data.id === 'string' ? data.id : randomUUID();
  const meta = {
    traceparent: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01`,
    correlationId: id,
    causationId: null,
    origin,
    occurredAt: new Date().toISOString(),
  };
  return withRedis((redis) =>
    redis.xAdd(new StreamKeys(prefix).events(pattern), '*', {
      id,
      pattern,
      data: JSON.stringify(data),
      meta: JSON.stringify(meta),
    }),
  );
}

/** The dead letters of a service, oldest first. */
export function readDeadLetters(prefix: string, service: string): Promise<DeadLetterEntry[]> {
  return withRedis(async (redis) => {
    const entries = await redis.xRange(new StreamKeys(prefix).deadLetters(service), '-', '+');
    return (entries ?? []).map(({ message }) => ({
      id: String(message.id),
      pattern: String(message.pattern),
      reason: JSON.parse(String(message.error)) as { code: string; message: string },
      deliveries: Number(message.deliveries),
    }));
  });
}
