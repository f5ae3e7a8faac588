import { registerAs } from '@nestjs/config';
import { NODE_ENVS, env, parseEnv } from '@app/service-defaults';

/** Used when `JWT_SECRET` is unset outside production; a warning is logged at start-up. */
export const DEVELOPMENT_JWT_SECRET = 'ficus-development-secret-do-not-use-in-production';
export const MIN_PRODUCTION_SECRET_LENGTH = 32;

export interface AuthConfig {
  readonly jwtSecret: string;
  readonly usingDevelopmentSecret: boolean;
}

/** The `auth` configuration area: `JWT_SECRET`, required (32+ characters) when `NODE_ENV=production`. */
export const authConfig = registerAs('auth', (): AuthConfig => {
  const { NODE_ENV } = parseEnv(process.env, { NODE_ENV: env.oneOf(NODE_ENVS, 'development') });
  const { JWT_SECRET } = parseEnv(process.env, {
    JWT_SECRET:
      NODE_ENV === 'production'
        ? env.requiredText({
            minLength: MIN_PRODUCTION_SECRET_LENGTH,
            describe: `a secret of at least ${MIN_PRODUCTION_SECRET_LENGTH} characters (required when NODE_ENV=production)`,
          })
        : env.optionalText({ describe: 'any non-empty string (unset: a development secret, with a warning)' }),
  });
  return Object.freeze({
    jwtSecret: JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    usingDevelopmentSecret: JWT_SECRET === undefined,
  });
});
