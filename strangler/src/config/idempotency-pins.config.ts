import { registerAs } from '@nestjs/config';
import { env, parseEnv } from '@app/service-defaults';

/** As long as the services keep a key (`IDEMPOTENCY_TTL_HOURS` of `@app/idempotency`). */
export const DEFAULT_IDEMPOTENCY_PIN_TTL_HOURS = 24;
export const MAX_IDEMPOTENCY_PIN_TTL_HOURS = 8_760;

export interface IdempotencyPinsConfig {
  /** How long a key stays pinned to the upstream that took it first, in milliseconds. */
  readonly ttlMs: number;
}

/**
 * The `strangler-idempotency` configuration area: how long the data plane keeps each
 * `Idempotency-Key` pinned to its first upstream (`STRANGLER_IDEMPOTENCY_TTL_HOURS`).
 */
export const idempotencyPinsConfig = registerAs('strangler-idempotency', (): IdempotencyPinsConfig => {
  const vars = parseEnv(process.env, {
    STRANGLER_IDEMPOTENCY_TTL_HOURS: env.integer({
      min: 1,
      max: MAX_IDEMPOTENCY_PIN_TTL_HOURS,
      default: DEFAULT_IDEMPOTENCY_PIN_TTL_HOURS,
    }),
  });
  return Object.freeze({ ttlMs: vars.STRANGLER_IDEMPOTENCY_TTL_HOURS * 3_600_000 });
});
