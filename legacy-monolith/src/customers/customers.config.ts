import { registerAs } from '@nestjs/config';
import { NODE_ENVS, env, parseEnv } from '@app/service-defaults';

export const DEFAULT_ADMIN_EMAIL = 'admin@example.com';
export const DEFAULT_ADMIN_PASSWORD = 'admin-password';
/** log2 of scrypt's cost N: 2^15 takes tens of milliseconds and 32 MiB per hash. */
export const DEFAULT_PASSWORD_SCRYPT_COST = 15;

export interface CustomersConfig {
  readonly adminEmail: string;
  readonly adminPassword: string;
  readonly passwordScryptCost: number;
}

/**
 * The `customers` configuration area: the admin account (`ADMIN_EMAIL`,
 * `ADMIN_PASSWORD`, required when `NODE_ENV=production`) and the password hash cost.
 */
export const customersConfig = registerAs('customers', (): CustomersConfig => {
  const { NODE_ENV } = parseEnv(process.env, { NODE_ENV: env.oneOf(NODE_ENVS, 'development') });
  const production = NODE_ENV === 'production';
  const vars = parseEnv(process.env, {
    ADMIN_EMAIL: production
      ? env.requiredText({ describe: 'an email address (required when NODE_ENV=production)', minLength: 3 })
      : env.text({ default: DEFAULT_ADMIN_EMAIL, pattern: /^[^\s@]+@[^\s@]+$/, describe: 'an email address' }),
    ADMIN_PASSWORD: production
      ? env.requiredText({ minLength: 12, describe: 'at least 12 characters (required when NODE_ENV=production)' })
      : env.text({ default: DEFAULT_ADMIN_PASSWORD, minLength: 8, describe: '8 to 128 characters' }),
    PASSWORD_SCRYPT_COST: env.integer({ min: 10, max: 20, default: DEFAULT_PASSWORD_SCRYPT_COST }),
  });
  return Object.freeze({
    adminEmail: vars.ADMIN_EMAIL.toLowerCase(),
    adminPassword: vars.ADMIN_PASSWORD,
    passwordScryptCost: vars.PASSWORD_SCRYPT_COST,
  });
});
