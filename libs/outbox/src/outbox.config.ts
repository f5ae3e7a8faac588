import { registerAs } from '@nestjs/config';
import { DEFAULT_PREFIX, DEFAULT_REDIS_URL, redisUrlVar } from '@app/redis-streams';
import { env, parseEnv } from '@app/service-defaults';

export const DEFAULT_OUTBOX_POLL_INTERVAL_MS = 1_000;
export const DEFAULT_OUTBOX_BATCH_SIZE = 100;
export const DEFAULT_OUTBOX_RETENTION_HOURS = 24;
export const DEFAULT_INBOX_RETENTION_HOURS = 168;
export const DEFAULT_OUTBOX_PURGE_INTERVAL_MS = 3_600_000;
export const DEFAULT_OUTBOX_MAX_LAG_MS = 60_000;
export const DEFAULT_OUTBOX_RETRY_MAX_DELAY_MS = 30_000;
/** How long a request awaiting positions (`x-ficus-await`) waits for the inbox to apply them. */
export const DEFAULT_CONSISTENCY_WAIT_MS = 2_000;
/** The longest wait `CONSISTENCY_WAIT_MS` may set: a request held longer would outlast its callers. */
export const MAX_CONSISTENCY_WAIT_MS = 60_000;

const HOUR_MS = 3_600_000;

/** What the environment configures; the rest of {@link OutboxSettings} has fixed defaults. */
export interface OutboxConfig {
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  readonly outboxRetentionMs: number;
  readonly inboxRetentionMs: number;
  readonly purgeIntervalMs: number;
  readonly maxLagMs: number;
  readonly retryMaxDelayMs: number;
  /** How long a request awaiting positions waits before it answers stale; 0 reads once and never waits. */
  readonly consistencyWaitMs: number;
}

/** Reads the `outbox` variables from `source`; throws `ConfigValidationError` naming every bad one. */
export function readOutboxConfig(source: Readonly<Record<string, string | undefined>>): OutboxConfig {
  const vars = parseEnv(source, {
    REDIS_URL: redisUrlVar(DEFAULT_REDIS_URL),
    REDIS_PREFIX: env.text({ default: DEFAULT_PREFIX, describe: 'the prefix of every Redis key' }),
    OUTBOX_POLL_INTERVAL_MS: env.integer({ min: 10, max: 3_600_000, default: DEFAULT_OUTBOX_POLL_INTERVAL_MS }),
    OUTBOX_BATCH_SIZE: env.integer({ min: 1, max: 10_000, default: DEFAULT_OUTBOX_BATCH_SIZE }),
    OUTBOX_RETENTION_HOURS: env.integer({ min: 1, max: 24 * 365, default: DEFAULT_OUTBOX_RETENTION_HOURS }),
    INBOX_RETENTION_HOURS: env.integer({ min: 1, max: 24 * 365 * 10, default: DEFAULT_INBOX_RETENTION_HOURS }),
    OUTBOX_PURGE_INTERVAL_MS: env.integer({
      min: 1_000,
      max: 7 * 24 * HOUR_MS,
      default: DEFAULT_OUTBOX_PURGE_INTERVAL_MS,
    }),
    OUTBOX_MAX_LAG_MS: env.integer({ min: 100, max: 7 * 24 * HOUR_MS, default: DEFAULT_OUTBOX_MAX_LAG_MS }),
    OUTBOX_RETRY_MAX_DELAY_MS: env.integer({ min: 100, max: 3_600_000, default: DEFAULT_OUTBOX_RETRY_MAX_DELAY_MS }),
    CONSISTENCY_WAIT_MS: env.integer({ min: 0, max: MAX_CONSISTENCY_WAIT_MS, default: DEFAULT_CONSISTENCY_WAIT_MS }),
  });
  return Object.freeze({
    redisUrl: vars.REDIS_URL,
    redisPrefix: vars.REDIS_PREFIX,
    pollIntervalMs: vars.OUTBOX_POLL_INTERVAL_MS,
    batchSize: vars.OUTBOX_BATCH_SIZE,
    outboxRetentionMs: vars.OUTBOX_RETENTION_HOURS * HOUR_MS,
    inboxRetentionMs: vars.INBOX_RETENTION_HOURS * HOUR_MS,
    purgeIntervalMs: vars.OUTBOX_PURGE_INTERVAL_MS,
    maxLagMs: vars.OUTBOX_MAX_LAG_MS,
    retryMaxDelayMs: vars.OUTBOX_RETRY_MAX_DELAY_MS,
    consistencyWaitMs: vars.CONSISTENCY_WAIT_MS,
  });
}

/**
 * The `outbox` configuration area: `REDIS_URL` (default `redis://127.0.0.1:6379`; `?cluster=true`
 * for a node of a Redis Cluster),
 * `REDIS_PREFIX` (`ficus:`), `OUTBOX_POLL_INTERVAL_MS` (1000), `OUTBOX_BATCH_SIZE` (100),
 * `OUTBOX_RETENTION_HOURS` (24), `INBOX_RETENTION_HOURS` (168), `OUTBOX_PURGE_INTERVAL_MS`
 * (3600000), `OUTBOX_MAX_LAG_MS` (60000, readiness), `OUTBOX_RETRY_MAX_DELAY_MS` (30000) and
 * `CONSISTENCY_WAIT_MS` (2000: how long a request awaiting positions waits; 0 never waits).
 */
export const outboxConfig = registerAs('outbox', (): OutboxConfig => readOutboxConfig(process.env));
