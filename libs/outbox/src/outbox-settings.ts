import { z } from 'zod';
import { OutboxError } from './errors';
import { MAX_CONSISTENCY_WAIT_MS, type OutboxConfig } from './outbox.config';

export const DEFAULT_OUTBOX_RETRY_BASE_DELAY_MS = 100;
export const DEFAULT_OUTBOX_PUBLISH_TIMEOUT_MS = 5_000;
export const DEFAULT_OUTBOX_PURGE_BATCH_SIZE = 1_000;

/** Everything the outbox, relay and purger run with: the `outbox` configuration area plus fixed defaults. */
export interface OutboxSettings extends OutboxConfig {
  /** First retry delay after a failed pass; doubles up to `retryMaxDelayMs`. Default 100. */
  readonly retryBaseDelayMs: number;
  /** A batch Redis has not stored within this long counts as failed (the database lock is released). Default 5000. */
  readonly publishTimeoutMs: number;
  /** Rows deleted per purge transaction. Default 1000. */
  readonly purgeBatchSize: number;
  /** Whether the relay starts on application bootstrap. Default true (tools and tests may call `publishNow()` instead). */
  readonly startRelay: boolean;
  /** Whether the purger runs on application bootstrap and every `purgeIntervalMs`. Default true. */
  readonly startPurger: boolean;
}

/** The settings with this service's name. */
export interface OutboxOptions extends OutboxSettings {
  /** This service: `meta.origin` of its events, and the origin its sequences are numbered for. */
  readonly origin: string;
}

const positive = (max: number) => z.int().min(1).max(max);

const schema = z.object({
  origin: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]{0,99}$/,
      'must be 1 to 100 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit',
    ),
  redisUrl: z.string().regex(/^rediss?:\/\/.+/, 'must start with redis:// or rediss://'),
  redisPrefix: z.string().max(100),
  pollIntervalMs: positive(3_600_000),
  batchSize: positive(10_000),
  outboxRetentionMs: positive(10 * 365 * 24 * 3_600_000),
  inboxRetentionMs: positive(10 * 365 * 24 * 3_600_000),
  purgeIntervalMs: positive(7 * 24 * 3_600_000),
  maxLagMs: positive(7 * 24 * 3_600_000),
  retryBaseDelayMs: positive(3_600_000),
  retryMaxDelayMs: positive(3_600_000),
  consistencyWaitMs: z.int().min(0).max(MAX_CONSISTENCY_WAIT_MS),
  publishTimeoutMs: positive(3_600_000),
  purgeBatchSize: positive(100_000),
  startRelay: z.boolean(),
  startPurger: z.boolean(),
});

/**
 * The options of one outbox: the configuration, then the overrides, checked together;
 * throws `OUTBOX_OPTIONS_INVALID` naming each bad setting.
 */
export function resolveOutboxOptions(
  origin: string,
  config: OutboxConfig,
  overrides: Partial<OutboxSettings> = {},
): OutboxOptions {
  const candidate = {
    retryBaseDelayMs: DEFAULT_OUTBOX_RETRY_BASE_DELAY_MS,
    publishTimeoutMs: DEFAULT_OUTBOX_PUBLISH_TIMEOUT_MS,
    purgeBatchSize: DEFAULT_OUTBOX_PURGE_BATCH_SIZE,
    startRelay: true,
    startPurger: true,
    ...config,
    ...overrides,
    origin,
  };
  const result = schema.strict().safeParse(candidate);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const path = issue.path.join('.') || 'options';
        const given = (candidate as Record<PropertyKey, unknown>)[issue.path[0] ?? ''];
        return `${path} ${issue.message.replace(/^Invalid input: /, '')} (got ${JSON.stringify(given)})`;
      });
  if (result.success && result.data.retryBaseDelayMs > result.data.retryMaxDelayMs) {
    problems.push(
      `retryBaseDelayMs (${result.data.retryBaseDelayMs}) must not exceed retryMaxDelayMs (${result.data.retryMaxDelayMs})`,
    );
  }
  if (!result.success || problems.length > 0) {
    throw new OutboxError('OUTBOX_OPTIONS_INVALID', `OutboxModule: ${problems.join('; ')}`);
  }
  return Object.freeze(result.data);
}
