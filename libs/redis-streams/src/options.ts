import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { type Clock, systemClock } from './clock';
import { StreamsError } from './errors';
import { clusterPrefixProblem } from './keys';
import { parseRedisUrl, redisUrlProblem } from './redis-url';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_PREFIX = 'ficus:';
export const DEFAULT_CONCURRENCY = 64;
export const DEFAULT_BATCH_SIZE = 64;
export const DEFAULT_BLOCK_MS = 1_000;
export const DEFAULT_MAX_DELIVERIES = 5;
export const DEFAULT_RETRY_BASE_DELAY_MS = 100;
export const DEFAULT_RETRY_MAX_DELAY_MS = 10_000;
export const DEFAULT_CLAIM_IDLE_MS = 30_000;
export const DEFAULT_CLAIM_INTERVAL_MS = 5_000;
export const DEFAULT_LIVENESS_TTL_MS = 5_000;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
export const DEFAULT_MAX_LEN = 100_000;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
export const DEFAULT_REPLY_TTL_MS = 60_000;
export const DEFAULT_RECONNECT_BASE_DELAY_MS = 100;
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 5_000;

/** Limits of one stream: trimmed to about `maxLen` entries, or to entries younger than `maxAgeMs`. */
export interface StreamLimits {
  readonly maxLen?: number;
  readonly maxAgeMs?: number;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const positive = (max: number) => z.int().min(1).max(max);

const connectionShape = {
  url: z
    .string()
    .superRefine((url, context) => {
      const problem = redisUrlProblem(url);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .default(DEFAULT_REDIS_URL),
  prefix: z.string().max(100).default(DEFAULT_PREFIX),
  maxLen: positive(1_000_000_000).default(DEFAULT_MAX_LEN),
  maxAgeMs: positive(365 * 24 * 3_600_000).optional(),
  streamLimits: z
    .record(
      z.string(),
      z.object({ maxLen: positive(1_000_000_000).optional(), maxAgeMs: positive(365 * 24 * 3_600_000).optional() }),
    )
    .default({}),
  reconnectBaseDelayMs: positive(60_000).default(DEFAULT_RECONNECT_BASE_DELAY_MS),
  reconnectMaxDelayMs: positive(600_000).default(DEFAULT_RECONNECT_MAX_DELAY_MS),
};

const serverSchema = z.object({
  ...connectionShape,
  service: z.string().regex(NAME, 'must be 1 to 100 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit'),
  consumerName: z.string().min(1).max(200).optional(),
  concurrency: positive(10_000).default(DEFAULT_CONCURRENCY),
  batchSize: positive(10_000).default(DEFAULT_BATCH_SIZE),
  blockMs: positive(60_000).default(DEFAULT_BLOCK_MS),
  maxDeliveries: positive(1_000).default(DEFAULT_MAX_DELIVERIES),
  retryBaseDelayMs: positive(3_600_000).default(DEFAULT_RETRY_BASE_DELAY_MS),
  retryMaxDelayMs: positive(3_600_000).default(DEFAULT_RETRY_MAX_DELAY_MS),
  claimIdleMs: positive(24 * 3_600_000).default(DEFAULT_CLAIM_IDLE_MS),
  claimIntervalMs: positive(3_600_000).default(DEFAULT_CLAIM_INTERVAL_MS),
  livenessTtlMs: positive(3_600_000).default(DEFAULT_LIVENESS_TTL_MS),
  heartbeatIntervalMs: positive(3_600_000).default(DEFAULT_HEARTBEAT_INTERVAL_MS),
  startFrom: z.enum(['0', '$']).default('0'),
  shutdownTimeoutMs: z.int().min(0).max(600_000).default(DEFAULT_SHUTDOWN_TIMEOUT_MS),
});

const clientSchema = z.object({
  ...connectionShape,
  origin: z.string().regex(NAME, 'must be 1 to 100 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit'),
  service: z
    .string()
    .regex(NAME, 'must be 1 to 100 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit')
    .optional(),
  instanceId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/)
    .optional(),
  requestTimeoutMs: positive(3_600_000).default(DEFAULT_REQUEST_TIMEOUT_MS),
  replyTtlMs: positive(24 * 3_600_000).default(DEFAULT_REPLY_TTL_MS),
});

interface Extras {
  /** Prometheus registry for the transport's metrics (default: a registry of its own). */
  readonly metrics?: Registry;
  /** Where the time and the timers come from (default: the system clock); tests pass a `ManualClock`. */
  readonly clock?: Clock;
}

export type RedisStreamsServerOptions = z.input<typeof serverSchema> &
  Extras & {
    /** Schemas of message data by pattern; data that fails goes to the dead-letter stream at once. */
    readonly schemas?: Readonly<Record<string, StandardSchemaV1>>;
  };
export type RedisStreamsClientOptions = z.input<typeof clientSchema> & Extras;

/** Read from `url`: whether it names a node of a Redis Cluster (`?cluster=true`). */
interface Topology {
  readonly cluster: boolean;
}

export type ServerSettings = z.output<typeof serverSchema> &
  Required<Pick<RedisStreamsServerOptions, 'schemas'>> &
  Extras &
  Topology & { consumerName: string; clock: Clock };
export type ClientSettings = z.output<typeof clientSchema> & Extras & Topology & { instanceId: string; clock: Clock };

function parse<S extends z.ZodType>(owner: string, schema: S, options: unknown): z.output<S> {
  const result = schema.safeParse(options ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.join('.') || 'options';
    const given = issue.path.reduce<unknown>(
      (value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key],
      options,
    );
    return `${path} ${issue.message.replace(/^Invalid input: /, '')} (got ${JSON.stringify(given)})`;
  });
  throw new StreamsError('STREAMS_OPTIONS_INVALID', `${owner}: ${problems.join('; ')}`);
}

/** Whether the URL names a cluster node, and if so whether the prefix can take hash tags. */
function topology(owner: string, settings: { url: string; prefix: string }): Topology {
  const { cluster } = parseRedisUrl(settings.url);
  const problem = cluster ? clusterPrefixProblem(settings.prefix) : undefined;
  if (problem) throw new StreamsError('STREAMS_OPTIONS_INVALID', `${owner}: prefix: ${problem}`);
  return { cluster };
}

const uniqueSuffix = () => `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;

export function serverSettings(options: RedisStreamsServerOptions): ServerSettings {
  const settings = parse('RedisStreamsServer', serverSchema, options);
  if (settings.retryMaxDelayMs >= settings.claimIdleMs) {
    throw new StreamsError(
      'STREAMS_OPTIONS_INVALID',
      `RedisStreamsServer: retryMaxDelayMs (${settings.retryMaxDelayMs}) must be below claimIdleMs (${settings.claimIdleMs}), or other instances would claim messages waiting for their retry`,
    );
  }
  if (settings.heartbeatIntervalMs >= settings.livenessTtlMs) {
    throw new StreamsError(
      'STREAMS_OPTIONS_INVALID',
      `RedisStreamsServer: heartbeatIntervalMs (${settings.heartbeatIntervalMs}) must be below livenessTtlMs (${settings.livenessTtlMs}), or the liveness key expires between two heartbeats and other instances take over this one's messages`,
    );
  }
  return {
    ...settings,
    ...topology('RedisStreamsServer', settings),
    consumerName: settings.consumerName ?? `${settings.service}-${uniqueSuffix()}`,
    schemas: options.schemas ?? {},
    metrics: options.metrics,
    clock: options.clock ?? systemClock,
  };
}

export function clientSettings(options: RedisStreamsClientOptions): ClientSettings {
  const settings = parse('RedisStreamsClient', clientSchema, options);
  return {
    ...settings,
    ...topology('RedisStreamsClient', settings),
    instanceId: settings.instanceId ?? uniqueSuffix(),
    metrics: options.metrics,
    clock: options.clock ?? systemClock,
  };
}

/** The trimming arguments of XADD for a stream (unprefixed name such as `evt:order.placed`). */
export function trimArguments(
  settings: { maxLen: number; maxAgeMs?: number; streamLimits: Readonly<Record<string, StreamLimits>> },
  stream: string,
  nowMs = Date.now(),
): string[] {
  const limits = settings.streamLimits[stream] ?? {};
  const maxAgeMs = limits.maxAgeMs ?? (limits.maxLen === undefined ? settings.maxAgeMs : undefined);
  if (maxAgeMs !== undefined) return ['MINID', '~', `${Math.max(0, nowMs - maxAgeMs)}-0`];
  return ['MAXLEN', '~', String(limits.maxLen ?? settings.maxLen)];
}
