import { registerAs } from '@nestjs/config';
import { ConfigValidationError, type EnvSource, env, parseEnv } from '@app/service-defaults';
import {
  DEFAULT_CLAIM_IDLE_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_LIVENESS_TTL_MS,
  DEFAULT_PREFIX,
  DEFAULT_REDIS_URL,
  redisUrlVar,
} from '@app/redis-streams';

/** Messages handled at once; applying in a transaction each, a few are enough. */
export const DEFAULT_EVENTS_CONCURRENCY = 16;
/** Deliveries before a message is dead-lettered: room for waiting on an aggregate's earlier events. */
export const DEFAULT_EVENTS_MAX_DELIVERIES = 20;
export const DEFAULT_EVENTS_RETRY_BASE_DELAY_MS = 50;
export const DEFAULT_EVENTS_RETRY_MAX_DELAY_MS = 5_000;
/** How often parked events are looked at (applied once their predecessor is, repaired when too old). */
export const DEFAULT_EVENTS_PARKED_CHECK_MS = 1_000;
/** A gap older than this makes the consumer ask the origin to send the aggregate again (and again after as long). */
export const DEFAULT_EVENTS_GAP_REPAIR_MS = 3_000;
/** A gap older than this makes the consumer not ready. */
export const DEFAULT_EVENTS_GAP_READY_LIMIT_MS = 30_000;

export interface IntegrationEventsConfig {
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly concurrency: number;
  readonly maxDeliveries: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly claimIdleMs: number;
  readonly livenessTtlMs: number;
  readonly heartbeatIntervalMs: number;
  readonly parkedCheckMs: number;
  readonly gapRepairMs: number;
  readonly gapReadyLimitMs: number;
}

/** Reads the `events` area from an environment; throws `ConfigValidationError` naming every bad variable. */
export function readIntegrationEventsConfig(source: EnvSource): IntegrationEventsConfig {
  const vars = parseEnv(source, {
    REDIS_URL: redisUrlVar(DEFAULT_REDIS_URL),
    REDIS_PREFIX: env.text({ default: DEFAULT_PREFIX, describe: 'a key prefix' }),
    EVENTS_CONCURRENCY: env.integer({ min: 1, max: 1_000, default: DEFAULT_EVENTS_CONCURRENCY }),
    EVENTS_MAX_DELIVERIES: env.integer({ min: 1, max: 1_000, default: DEFAULT_EVENTS_MAX_DELIVERIES }),
    EVENTS_RETRY_BASE_DELAY_MS: env.integer({ min: 1, max: 60_000, default: DEFAULT_EVENTS_RETRY_BASE_DELAY_MS }),
    EVENTS_RETRY_MAX_DELAY_MS: env.integer({ min: 1, max: 600_000, default: DEFAULT_EVENTS_RETRY_MAX_DELAY_MS }),
    EVENTS_CLAIM_IDLE_MS: env.integer({ min: 1_000, max: 86_400_000, default: DEFAULT_CLAIM_IDLE_MS }),
    EVENTS_LIVENESS_TTL_MS: env.integer({ min: 100, max: 3_600_000, default: DEFAULT_LIVENESS_TTL_MS }),
    EVENTS_HEARTBEAT_INTERVAL_MS: env.integer({ min: 10, max: 3_600_000, default: DEFAULT_HEARTBEAT_INTERVAL_MS }),
    EVENTS_PARKED_CHECK_MS: env.integer({ min: 10, max: 3_600_000, default: DEFAULT_EVENTS_PARKED_CHECK_MS }),
    EVENTS_GAP_REPAIR_MS: env.integer({ min: 10, max: 86_400_000, default: DEFAULT_EVENTS_GAP_REPAIR_MS }),
    EVENTS_GAP_READY_LIMIT_MS: env.integer({ min: 10, max: 86_400_000, default: DEFAULT_EVENTS_GAP_READY_LIMIT_MS }),
  });
  if (vars.EVENTS_HEARTBEAT_INTERVAL_MS >= vars.EVENTS_LIVENESS_TTL_MS) {
    throw new ConfigValidationError([
      `EVENTS_HEARTBEAT_INTERVAL_MS is ${vars.EVENTS_HEARTBEAT_INTERVAL_MS}; allowed: below EVENTS_LIVENESS_TTL_MS (${vars.EVENTS_LIVENESS_TTL_MS}), or a live consumer's key expires between two heartbeats and other instances take its messages`,
    ]);
  }
  return Object.freeze({
    redisUrl: vars.REDIS_URL,
    redisPrefix: vars.REDIS_PREFIX,
    concurrency: vars.EVENTS_CONCURRENCY,
    maxDeliveries: vars.EVENTS_MAX_DELIVERIES,
    retryBaseDelayMs: vars.EVENTS_RETRY_BASE_DELAY_MS,
    retryMaxDelayMs: vars.EVENTS_RETRY_MAX_DELAY_MS,
    claimIdleMs: vars.EVENTS_CLAIM_IDLE_MS,
    livenessTtlMs: vars.EVENTS_LIVENESS_TTL_MS,
    heartbeatIntervalMs: vars.EVENTS_HEARTBEAT_INTERVAL_MS,
    parkedCheckMs: vars.EVENTS_PARKED_CHECK_MS,
    gapRepairMs: vars.EVENTS_GAP_REPAIR_MS,
    gapReadyLimitMs: vars.EVENTS_GAP_READY_LIMIT_MS,
  });
}

/** The `events` configuration area: how a service consumes integration events. */
export const integrationEventsConfig = registerAs('events', () => readIntegrationEventsConfig(process.env));
