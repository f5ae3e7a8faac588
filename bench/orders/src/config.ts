import { randomBytes } from 'node:crypto';
import { choiceFromEnv, settingsReader } from '../../common/src/env';

/**
 * The two ways an order is placed through the facade: `monolith` at migration stage 3 (orders
 * on the monolith, in one transaction), `saga` at stage 4 (orders on the orders service, a saga
 * over inventory and payments). Each is a stage file applied with the strangler CLI, and the
 * upstream the facade names in `x-strangler-upstream` for the orders.
 */
export const VARIANTS = ['monolith', 'saga'] as const;
export type Variant = (typeof VARIANTS)[number];

export const STAGES: Readonly<Record<Variant, { readonly file: string; readonly upstream: string }>> = {
  monolith: { file: 'strangler/rules/03-catalog-inventory-payments.yaml', upstream: 'legacy' },
  saga: { file: 'strangler/rules/04-orders.yaml', upstream: 'orders' },
};

/** The issue's targets: the saga's throughput against the monolith's, and its p99 at 100 orders/s. */
export const TARGETS = { throughputRatio: 0.5, p99Ms: 100, atRate: 100 } as const;

/** A bad setting: the run stops before anything starts, with this message alone. */
export class SettingsError extends Error {}

/** Everything a run is parameterised by; each can be overridden from the environment. */
export interface BenchConfig {
  /** The Redis every process uses; every key of the run is under `prefix`, deleted at the end. */
  readonly redisUrl: string;
  readonly prefix: string;
  /** Measured rounds; in each, both variants back to back, the first alternating. */
  readonly rounds: number;
  readonly variants: readonly Variant[];
  /** Seconds of closed-loop load per variant before the rounds (0: none). */
  readonly warmupSeconds: number;
  /** Closed loop: concurrent clients, each placing its next order when the last is answered, for `throughputSeconds`. */
  readonly concurrency: number;
  readonly throughputSeconds: number;
  /** Open loop: orders per second, whether or not earlier ones were answered, for `latencySeconds`. */
  readonly rate: number;
  readonly latencySeconds: number;
  /** Customers the orders are spread over (no two unanswered orders share one), and products. */
  readonly customers: number;
  readonly products: number;
  /** How long the stack may take to start, and the sides to settle after a phase, before the run fails. */
  readonly readyTimeoutS: number;
  readonly settleTimeoutS: number;
  /** The services' `LOG_LEVEL`; every line of their output on stderr when `verbose`. */
  readonly logLevel: string;
  readonly verbose: boolean;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function booleanFromEnv(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'true' && raw !== 'false') throw new Error(`${name} must be true or false (got ${raw})`);
  return raw === 'true';
}

/** The settings from the environment; throws naming every bad one. */
export function loadConfig(): BenchConfig {
  const { problems, read, int } = settingsReader();
  const config: BenchConfig = {
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    prefix: `ficus-bench:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`,
    rounds: int('BENCH_ROUNDS', 5),
    variants: read(() => choiceFromEnv('BENCH_VARIANTS', VARIANTS), [...VARIANTS]),
    warmupSeconds: int('BENCH_WARMUP_SECONDS', 5, 0),
    concurrency: int('BENCH_CONCURRENCY', 16),
    throughputSeconds: int('BENCH_THROUGHPUT_SECONDS', 10),
    rate: int('BENCH_RATE', TARGETS.atRate),
    latencySeconds: int('BENCH_LATENCY_SECONDS', 10),
    customers: int('BENCH_CUSTOMERS', 64),
    products: int('BENCH_PRODUCTS', 20),
    readyTimeoutS: int('BENCH_READY_TIMEOUT_S', 180),
    settleTimeoutS: int('BENCH_SETTLE_TIMEOUT_S', 120),
    logLevel: process.env.LOG_LEVEL || 'error',
    verbose: read(() => booleanFromEnv('BENCH_VERBOSE', false), false),
  };
  if (config.customers < config.concurrency) {
    problems.push(
      `BENCH_CUSTOMERS (${config.customers}) must be at least BENCH_CONCURRENCY (${config.concurrency}): each client orders for a customer of its own`,
    );
  }
  if (!LOG_LEVELS.includes(config.logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${config.logLevel})`);
  }
  if (!/^redis(s)?:\/\//.test(config.redisUrl))
    problems.push(`REDIS_URL must be a redis:// URL (got ${config.redisUrl})`);
  if (problems.length > 0)
    throw new SettingsError(
      `Invalid settings (bench/orders/README.md lists them):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  return config;
}
