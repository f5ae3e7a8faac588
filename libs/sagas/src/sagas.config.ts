import { registerAs } from '@nestjs/config';
import { DEFAULT_PREFIX, DEFAULT_REDIS_URL, redisUrlVar } from '@app/redis-streams';
import { env, parseEnv } from '@app/service-defaults';
import { DEFAULT_STUCK_AFTER_MS } from './sagas.health';

export const DEFAULT_SAGAS_LEASE_MS = 30_000;
export const DEFAULT_SAGAS_POLL_INTERVAL_MS = 1_000;

/** What the environment configures of a service's sagas. */
export interface SagasConfig {
  readonly redisUrl: string;
  readonly redisPrefix: string;
  /** How long an instance is one runner's once taken (`SAGAS_LEASE_MS`). */
  readonly leaseMs: number;
  /** How often due instances are looked for (`SAGAS_POLL_INTERVAL_MS`). */
  readonly pollIntervalMs: number;
  /** How long an action may stay due before readiness calls the instance stuck (`SAGAS_STUCK_AFTER_MS`). */
  readonly stuckAfterMs: number;
}

/** Reads the `sagas` variables from `source`; throws `ConfigValidationError` naming every bad one. */
export function readSagasConfig(source: Readonly<Record<string, string | undefined>>): SagasConfig {
  const vars = parseEnv(source, {
    REDIS_URL: redisUrlVar(DEFAULT_REDIS_URL),
    REDIS_PREFIX: env.text({ default: DEFAULT_PREFIX, describe: 'the prefix of every Redis key' }),
    SAGAS_LEASE_MS: env.integer({ min: 1_000, max: 600_000, default: DEFAULT_SAGAS_LEASE_MS }),
    SAGAS_POLL_INTERVAL_MS: env.integer({ min: 10, max: 60_000, default: DEFAULT_SAGAS_POLL_INTERVAL_MS }),
    SAGAS_STUCK_AFTER_MS: env.integer({ min: 1_000, max: 86_400_000, default: DEFAULT_STUCK_AFTER_MS }),
  });
  return Object.freeze({
    redisUrl: vars.REDIS_URL,
    redisPrefix: vars.REDIS_PREFIX,
    leaseMs: vars.SAGAS_LEASE_MS,
    pollIntervalMs: vars.SAGAS_POLL_INTERVAL_MS,
    stuckAfterMs: vars.SAGAS_STUCK_AFTER_MS,
  });
}

/** The `sagas` configuration area, read from the environment when the app is built. */
export const sagasConfig = registerAs('sagas', (): SagasConfig => readSagasConfig(process.env));
