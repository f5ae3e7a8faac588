import { DEFAULT_LOG_LEVEL, LOG_LEVELS, type LogLevel } from './app.config';
import { type EnvSource, env, parseEnv } from './env-schema';

/**
 * `LOG_LEVEL` alone, for processes without the `app` area (commands, and every process
 * before its app is built); throws `ConfigValidationError` for a value that is not allowed.
 */
export function logLevelFromEnv(source: EnvSource = process.env): LogLevel {
  return parseEnv(source, { LOG_LEVEL: env.oneOf(LOG_LEVELS, DEFAULT_LOG_LEVEL) }).LOG_LEVEL;
}
