import { registerAs } from '@nestjs/config';
import { env, parseEnv } from '@app/service-defaults';

export const DEFAULT_POOL_SIZE = 10;

export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly path: string; readonly url: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number };

/** Parses `sqlite:<path>` (or `sqlite::memory:`) and `postgres://…` URLs. */
export function parseDatabaseUrl(url: string, poolSize = DEFAULT_POOL_SIZE): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    return { kind: 'sqlite', path: url.slice('sqlite:'.length), url };
  }
  return { kind: 'postgres', url, poolSize };
}

/**
 * The `database` configuration area: `DATABASE_URL` (default `sqlite:data/<process>.sqlite`)
 * and `DATABASE_POOL_SIZE` (PostgreSQL connections, default 10).
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
    });
    return Object.freeze(parseDatabaseUrl(vars.DATABASE_URL, vars.DATABASE_POOL_SIZE));
  });
}
