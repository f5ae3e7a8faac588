import { registerAs } from '@nestjs/config';
import { env, parseEnv } from '@app/service-defaults';

export const DEFAULT_IDEMPOTENCY_TTL_HOURS = 24;

export interface IdempotencyConfig {
  readonly ttlMs: number;
}

/** The `idempotency` configuration area: `IDEMPOTENCY_TTL_HOURS`, how long keys are kept (24 at least). */
export const idempotencyConfig = registerAs('idempotency', (): IdempotencyConfig => {
  const vars = parseEnv(process.env, {
    IDEMPOTENCY_TTL_HOURS: env.integer({ min: 24, max: 24 * 365, default: DEFAULT_IDEMPOTENCY_TTL_HOURS }),
  });
  return Object.freeze({ ttlMs: vars.IDEMPOTENCY_TTL_HOURS * 3_600_000 });
});
