import { registerAs } from '@nestjs/config';
import { env, parseEnv } from '@app/service-defaults';

/** Readiness turns down when the last applied event waited longer than this and messages are waiting. */
export const DEFAULT_CATALOG_MAX_LAG_MS = 60_000;

export interface CatalogConfig {
  /** `CATALOG_MAX_LAG_MS`: the projection lag past which the catalog is not ready while behind. */
  readonly maxLagMs: number;
}

/** The `catalog` configuration area. */
export const catalogConfig = registerAs('catalog', (): CatalogConfig => {
  const vars = parseEnv(process.env, {
    CATALOG_MAX_LAG_MS: env.integer({ min: 1, max: 86_400_000, default: DEFAULT_CATALOG_MAX_LAG_MS }),
  });
  return Object.freeze({ maxLagMs: vars.CATALOG_MAX_LAG_MS });
});
