import { registerAs } from '@nestjs/config';
import { env, parseEnv } from './env-schema';
import { DEFAULT_HOST, listenHost } from './listen-host';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const DEFAULT_LOG_LEVEL = 'info';
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** Injection token of the validated {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');

export interface AppConfig {
  /** The process's name, used in logs and metrics (`legacy-monolith`, `catalog`, …). */
  readonly processName: string;
  readonly nodeEnv: (typeof NODE_ENVS)[number];
  readonly port: number;
  /** The address it listens on (`HOST`, or the variable the process names; default 127.0.0.1). */
  readonly host: string;
  readonly logLevel: LogLevel;
  /** How long in-flight requests may run after SIGTERM before connections are cut. */
  readonly shutdownTimeoutMs: number;
}

/** Which variable holds a process's listen address, and its default. */
export interface HostSetting {
  readonly variable: string;
  readonly default: string;
}

/**
 * The `app` configuration area of one process: `NODE_ENV`, `PORT`, `HOST` (or the variable
 * `host` names), `LOG_LEVEL` and `SHUTDOWN_TIMEOUT_MS`, validated when the process starts.
 */
export function createAppConfig(
  processName: string,
  defaultPort: number,
  host: HostSetting = { variable: 'HOST', default: DEFAULT_HOST },
) {
  return registerAs('app', (): AppConfig => {
    const vars = parseEnv(process.env, {
      NODE_ENV: env.oneOf(NODE_ENVS, 'development'),
      PORT: env.integer({ min: 0, max: 65_535, default: defaultPort }),
      [host.variable]: listenHost(host.default),
      LOG_LEVEL: env.oneOf(LOG_LEVELS, DEFAULT_LOG_LEVEL),
      SHUTDOWN_TIMEOUT_MS: env.integer({ min: 0, max: 600_000, default: DEFAULT_SHUTDOWN_TIMEOUT_MS }),
    });
    return Object.freeze({
      processName,
      nodeEnv: vars.NODE_ENV,
      port: vars.PORT,
      host: vars[host.variable] as string,
      logLevel: vars.LOG_LEVEL,
      shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
    });
  });
}
