import type { LoggerService } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { ActiveRules } from '../rules';
import { DEFAULT_INTERNAL_PATHS } from './internal-paths';
import type { IdempotencyPins } from './idempotency';
import type { PositionsStore } from './consistency/positions-store';

/** How long `close()` lets requests under way finish before cutting them. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_CONNECTIONS_PER_URL = 256;
export const DEFAULT_UPSTREAM_KEEP_ALIVE_MS = 4_000;
/** How long a URL that refused a connection is skipped while its upstream has other URLs. */
export const DEFAULT_URL_COOLDOWN_MS = 5_000;
export const DEFAULT_TRAFFIC_WINDOW_MINUTES = 60;

export interface DataPlaneOptions {
  /** The rule set in force; each request reads `current` once. */
  readonly rules: ActiveRules;
  /** Larger request bodies get `413 PAYLOAD_TOO_LARGE`. */
  readonly maxBodyBytes: number;
  /** Whether responses carry `x-strangler-route` and `x-strangler-upstream`. */
  readonly routingHeaders: boolean;
  /** Whether `X-Forwarded-For`/`-Proto`/`-Host` from the caller are believed (behind a trusted balancer). */
  readonly trustProxy: boolean;
  /** Where the data plane's metrics go. */
  readonly metrics: Registry;
  readonly logger?: LoggerService;
  /** Pins each keyed write's `Idempotency-Key` to its first upstream (`idempotency/`); without it, the rules alone decide. */
  readonly idempotency?: IdempotencyPins;
  /**
   * Keeps the positions writes report and sends those a request's route names to its upstream
   * (`consistency/`); without it, reads see what their side has applied when they arrive.
   */
  readonly consistency?: PositionsStore;
  readonly shutdownTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly connectionsPerUrl?: number;
  readonly upstreamKeepAliveMs?: number;
  readonly urlCooldownMs?: number;
  /** How many minutes of traffic `trafficSplit()` can look back over. */
  readonly trafficWindowMinutes?: number;
  /** Paths answered `404 ROUTE_NOT_FOUND` unless a route routes them; default `DEFAULT_INTERNAL_PATHS` (`internal-paths.ts`). */
  readonly internalPaths?: readonly string[];
}

export type ResolvedDataPlaneOptions = Required<Omit<DataPlaneOptions, 'logger' | 'idempotency' | 'consistency'>> &
  Pick<DataPlaneOptions, 'logger' | 'idempotency' | 'consistency'>;

const positiveInteger = (value: unknown, name: string, allowZero = false) => {
  if (!Number.isInteger(value) || (value as number) < (allowZero ? 0 : 1)) {
    throw new TypeError(`createDataPlane: ${name} must be ${allowZero ? 'a non-negative' : 'a positive'} integer`);
  }
};

/** Checks the options and fills in the defaults; a wrong option throws a TypeError saying what to give. */
export function resolveDataPlaneOptions(options: DataPlaneOptions): ResolvedDataPlaneOptions {
  if (!options || typeof options.rules?.current?.decide !== 'function') {
    throw new TypeError('createDataPlane: rules must be an ActiveRules holding a CompiledRuleSet');
  }
  if (typeof options.metrics?.registerMetric !== 'function') {
    throw new TypeError('createDataPlane: metrics must be a prom-client Registry');
  }
  positiveInteger(options.maxBodyBytes, 'maxBodyBytes (bytes; 0 refuses every body)', true);
  for (const flag of ['routingHeaders', 'trustProxy'] as const) {
    if (typeof options[flag] !== 'boolean') throw new TypeError(`createDataPlane: ${flag} must be true or false`);
  }
  const resolved: ResolvedDataPlaneOptions = {
    ...options,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    connectionsPerUrl: options.connectionsPerUrl ?? DEFAULT_CONNECTIONS_PER_URL,
    upstreamKeepAliveMs: options.upstreamKeepAliveMs ?? DEFAULT_UPSTREAM_KEEP_ALIVE_MS,
    urlCooldownMs: options.urlCooldownMs ?? DEFAULT_URL_COOLDOWN_MS,
    trafficWindowMinutes: options.trafficWindowMinutes ?? DEFAULT_TRAFFIC_WINDOW_MINUTES,
    internalPaths: options.internalPaths ?? DEFAULT_INTERNAL_PATHS,
  };
  positiveInteger(resolved.shutdownTimeoutMs, 'shutdownTimeoutMs (milliseconds)', true);
  positiveInteger(resolved.connectTimeoutMs, 'connectTimeoutMs (milliseconds)');
  positiveInteger(resolved.connectionsPerUrl, 'connectionsPerUrl');
  positiveInteger(resolved.upstreamKeepAliveMs, 'upstreamKeepAliveMs (milliseconds)');
  positiveInteger(resolved.urlCooldownMs, 'urlCooldownMs (milliseconds)', true);
  positiveInteger(resolved.trafficWindowMinutes, 'trafficWindowMinutes');
  return resolved;
}
