import { registerAs } from '@nestjs/config';
import { env, parseEnv } from '@app/service-defaults';

export const DEFAULT_CONSISTENCY_TTL_MINUTES = 60;
export const DEFAULT_CONSISTENCY_WINDOW_MS = 60_000;
export const DEFAULT_CONSISTENCY_LEASE_MS = 1_000;
export const DEFAULT_CONSISTENCY_MEMORY_MAX = 100_000;

export interface ConsistencyConfig {
  /** Whether reads wait for the writes before them (`STRANGLER_CONSISTENCY`). */
  readonly enabled: boolean;
  /** How long an aggregate's positions are kept after its last write, in milliseconds. */
  readonly ttlMs: number;
  /** How far back a collection's writes are awaited, in milliseconds. */
  readonly windowMs: number;
  /** How long an instance's memory of positions is trusted after a beat (the longest a write waits for a stopped instance). */
  readonly leaseMs: number;
  /** How many aggregates an instance keeps in memory. */
  readonly memoryMax: number;
}

/**
 * The `strangler-consistency` configuration area: whether the data plane keeps the positions of
 * writes and sends them with the requests that must reflect them (`STRANGLER_CONSISTENCY`), for
 * how long per aggregate (`STRANGLER_CONSISTENCY_TTL_MINUTES`) and per collection
 * (`STRANGLER_CONSISTENCY_WINDOW_MS`), and the instance's copy in memory: its lease
 * (`STRANGLER_CONSISTENCY_LEASE_MS`) and size (`STRANGLER_CONSISTENCY_MEMORY_MAX`).
 */
export const consistencyConfig = registerAs('strangler-consistency', (): ConsistencyConfig => {
  const vars = parseEnv(process.env, {
    STRANGLER_CONSISTENCY: env.oneOf(['on', 'off'], 'on'),
    STRANGLER_CONSISTENCY_TTL_MINUTES: env.integer({ min: 1, max: 10_080, default: DEFAULT_CONSISTENCY_TTL_MINUTES }),
    STRANGLER_CONSISTENCY_WINDOW_MS: env.integer({
      min: 1_000,
      max: 3_600_000,
      default: DEFAULT_CONSISTENCY_WINDOW_MS,
    }),
    STRANGLER_CONSISTENCY_LEASE_MS: env.integer({ min: 100, max: 60_000, default: DEFAULT_CONSISTENCY_LEASE_MS }),
    STRANGLER_CONSISTENCY_MEMORY_MAX: env.integer({ min: 1, max: 10_000_000, default: DEFAULT_CONSISTENCY_MEMORY_MAX }),
  });
  return Object.freeze({
    enabled: vars.STRANGLER_CONSISTENCY === 'on',
    ttlMs: vars.STRANGLER_CONSISTENCY_TTL_MINUTES * 60_000,
    windowMs: vars.STRANGLER_CONSISTENCY_WINDOW_MS,
    leaseMs: vars.STRANGLER_CONSISTENCY_LEASE_MS,
    memoryMax: vars.STRANGLER_CONSISTENCY_MEMORY_MAX,
  });
});
