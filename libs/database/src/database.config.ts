import { registerAs } from '@nestjs/config';
import { env, parseEnv } from '@app/service-defaults';

export const DEFAULT_POOL_SIZE = 10;
/** How long an SQLite statement waits for another process's write lock before it fails. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** The longest wait allowed: the wait blocks the process (better-sqlite3 is synchronous). */
export const MAX_BUSY_TIMEOUT_MS = 60_000;

export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly path: string; readonly url: string; readonly busyTimeoutMs: number }
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number };

/** Parses `sqlite:<path>` (or `sqlite::memory:`) and `postgres://…` URLs. */
export function parseDatabaseUrl(
  url: string,
  poolSize = DEFAULT_POOL_SIZE,
  busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    return { kind: 'sqlite', path: url.slice('sqlite:'.length), url, busyTimeoutMs };
  }
  return { kind: 'postgres', url, poolSize };
}

/**
 * The `database` configuration area: `DATABASE_URL` (default `sqlite:data/<process>.sqlite`),
 * `DATABASE_POOL_SIZE` (PostgreSQL connections, default 10) and `DATABASE_BUSY_TIMEOUT_MS`
 * (how long SQLite waits for another process's write lock, default 5000).
 */
export function createDatabaseConfig(processName: string) {
  return registerAs('database', (): DatabaseConfig => {
    const vars = parseEnv(process.env, {
      DATABASE_URL: env.text({
        default: `sqlite:data/${processName}.sqlite`,
        pattern: /^(sqlite:.+|postgres(ql)?:\/\/.+)$/,
        describe: 'sqlite:<file path>, sqlite::memory: or postgres://user@host:port/database',
      }),
      DATABASE_POOL_SIZE: env.integer({ min: 1, max: 100, default: DEFAULT_POOL_SIZE }),
      DATABASE_BUSY_TIMEOUT_MS: env.integer({ min: 0, max: MAX_BUSY_TIMEOUT_MS, default: DEFAULT_BUSY_TIMEOUT_MS }),
    });
    return Object.freeze(parseDatabaseUrl(vars.DATABASE_URL, vars.DATABASE_POOL_SIZE, vars.DATABASE_BUSY_TIMEOUT_MS));
  });
}
