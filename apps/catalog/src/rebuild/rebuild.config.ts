import { registerAs } from '@nestjs/config';
import { DEFAULT_PREFIX, DEFAULT_REDIS_URL, redisUrlVar } from '@app/redis-streams';
import { env, parseEnv } from '@app/service-defaults';

export const DEFAULT_LEGACY_URL = 'http://127.0.0.1:3000';
export const DEFAULT_ADMIN_EMAIL = 'admin@example.com';
export const DEFAULT_ADMIN_PASSWORD = 'admin-password';

export interface RebuildConfig {
  /** `LEGACY_URL`: where the monolith listens (its backfill route). */
  readonly legacyUrl: string;
  /** `ADMIN_EMAIL` and `ADMIN_PASSWORD`: the monolith's admin account, for a token. */
  readonly adminEmail: string;
  readonly adminPassword: string;
  /** `REDIS_URL` and `REDIS_PREFIX`: the streams whose consumer group is moved back. */
  readonly redisUrl: string;
  readonly redisPrefix: string;
}

/** The `rebuild` configuration area of `npm run rebuild:catalog` (the database is the `database` area's). */
export const rebuildConfig = registerAs('rebuild', (): RebuildConfig => {
  const vars = parseEnv(process.env, {
    LEGACY_URL: env.url({ default: DEFAULT_LEGACY_URL, protocols: ['http:', 'https:'] }),
    ADMIN_EMAIL: env.text({ default: DEFAULT_ADMIN_EMAIL, pattern: /^[^\s@]+@[^\s@]+$/, describe: 'an email address' }),
    ADMIN_PASSWORD: env.text({ default: DEFAULT_ADMIN_PASSWORD, describe: "the monolith's admin password" }),
    REDIS_URL: redisUrlVar(DEFAULT_REDIS_URL),
    REDIS_PREFIX: env.text({ default: DEFAULT_PREFIX, describe: 'a key prefix' }),
  });
  return Object.freeze({
    legacyUrl: vars.LEGACY_URL.replace(/\/+$/, ''),
    adminEmail: vars.ADMIN_EMAIL,
    adminPassword: vars.ADMIN_PASSWORD,
    redisUrl: vars.REDIS_URL,
    redisPrefix: vars.REDIS_PREFIX,
  });
});
