import { registerAs } from '@nestjs/config';
import { env, parseEnv } from '@app/service-defaults';
import { DEFAULT_PREFIX, DEFAULT_REDIS_URL, redisUrlVar } from '@app/redis-streams';
import { type AdminToken, readAdminTokens } from './admin-tokens';
import { DATA_PLANE_HOST } from './data-plane-host';

export const DEFAULT_STRANGLER_PORT = 8080;
export const DEFAULT_STRANGLER_ADMIN_PORT = 8081;
export const DEFAULT_RULES_FILE = 'strangler/rules.yaml';
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_POLL_INTERVAL_MS = 5_000;
/** Relative to the working folder, as the services' default SQLite files (`data/<name>.sqlite`). */
export const DEFAULT_HISTORY_DIR = 'data/strangler';
export { MIN_ADMIN_TOKEN_LENGTH } from './admin-tokens';
/** The admin plane's address unless `STRANGLER_ADMIN_HOST` says otherwise: this machine only. */
export const DEFAULT_STRANGLER_ADMIN_HOST = '127.0.0.1';

export interface StranglerConfig {
  /** The public data plane's port (`STRANGLER_PORT`). */
  readonly port: number;
  /** The data plane's address (`STRANGLER_HOST`); unset: every interface. */
  readonly host: string | undefined;
  readonly rulesFile: string;
  /** The admin plane's tokens (`STRANGLER_ADMIN_TOKENS`, `STRANGLER_ADMIN_TOKEN`; `admin-tokens.ts`). */
  readonly adminTokens: readonly AdminToken[];
  readonly maxBodyBytes: number;
  /** Whether responses carry `x-strangler-route` and `x-strangler-upstream`. */
  readonly routingHeaders: boolean;
  /** Whether the client address comes from `X-Forwarded-For` (behind a trusted balancer). */
  readonly trustProxy: boolean;
  readonly pollIntervalMs: number;
  /** The folder of this instance's history copy, one file per Redis prefix (`STRANGLER_HISTORY_DIR`). */
  readonly historyDir: string;
  /** `REDIS_URL`: one Redis, or with `?cluster=true` a node of a Redis Cluster. */
  readonly redisUrl: string;
  readonly redisPrefix: string;
  /** `STRANGLER_UPSTREAM_<NAME>_URL` overrides, by upper-cased name. */
  readonly environment: Readonly<Record<string, string | undefined>>;
}

const boolean = (fallback: boolean) => env.oneOf(['true', 'false'] as const, fallback ? 'true' : 'false');

/**
 * The `strangler` configuration area. The admin plane's port is `PORT`
 * (`STRANGLER_ADMIN_PORT` in the stack), from the service defaults.
 */
export const stranglerConfig = registerAs('strangler', (): StranglerConfig => {
  const adminTokens = readAdminTokens(process.env);
  const vars = parseEnv(process.env, {
    STRANGLER_PORT: env.integer({ min: 0, max: 65_535, default: DEFAULT_STRANGLER_PORT }),
    STRANGLER_HOST: DATA_PLANE_HOST,
    STRANGLER_RULES_FILE: env.text({ default: DEFAULT_RULES_FILE, describe: 'the path of a YAML or JSON rules file' }),
    STRANGLER_MAX_BODY_BYTES: env.integer({ min: 0, max: 1024 ** 3, default: DEFAULT_MAX_BODY_BYTES }),
    STRANGLER_ROUTING_HEADERS: boolean(true),
    STRANGLER_TRUST_PROXY: boolean(false),
    STRANGLER_POLL_INTERVAL_MS: env.integer({ min: 100, max: 3_600_000, default: DEFAULT_POLL_INTERVAL_MS }),
    STRANGLER_HISTORY_DIR: env.text({
      default: DEFAULT_HISTORY_DIR,
      // A space pasted at either end would name another folder, noticed only when Redis loses its data.
      pattern: /^\S(.*\S)?$/,
      describe: 'the folder of this instance’s copy of the rules history, without spaces at either end',
    }),
    // `?cluster=true` on a node of a Redis Cluster: the rule store, the positions and the pins then use it.
    REDIS_URL: redisUrlVar(DEFAULT_REDIS_URL),
    REDIS_PREFIX: env.text({ default: DEFAULT_PREFIX, describe: 'a key prefix' }),
  });
  return Object.freeze({
    port: vars.STRANGLER_PORT,
    host: vars.STRANGLER_HOST,
    rulesFile: vars.STRANGLER_RULES_FILE,
    adminTokens,
    maxBodyBytes: vars.STRANGLER_MAX_BODY_BYTES,
    routingHeaders: vars.STRANGLER_ROUTING_HEADERS === 'true',
    trustProxy: vars.STRANGLER_TRUST_PROXY === 'true',
    pollIntervalMs: vars.STRANGLER_POLL_INTERVAL_MS,
    historyDir: vars.STRANGLER_HISTORY_DIR,
    redisUrl: vars.REDIS_URL,
    redisPrefix: vars.REDIS_PREFIX,
    environment: Object.freeze(
      Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('STRANGLER_UPSTREAM_'))),
    ),
  });
});
