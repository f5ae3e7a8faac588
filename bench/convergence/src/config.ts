import { choiceFromEnv, intFromEnv } from '../../common/src/env';

/**
 * What happens in a round, in this order (rotated from round to round): `none` is the baseline
 * (the load stops, nothing fails); a process name is that process SIGKILLed; `redis-aof` is the
 * launcher's Redis SIGKILLed and started again from its append-only file; `redis-empty` is the
 * same Redis SIGKILLed, its data folder deleted, and started again empty.
 */
export const FAULTS = [
  'none',
  'payments',
  'inventory',
  'catalog',
  'legacy-monolith',
  'redis-aof',
  'redis-empty',
] as const;
export type Fault = (typeof FAULTS)[number];

/** The processes of the stack a fault may kill (names of `tools/stack/src/processes.ts`). */
export const KILLED_PROCESSES = ['payments', 'inventory', 'catalog', 'legacy-monolith'] as const;

/** The targets: seconds from the end of a fault to converged. */
export const TARGETS_S: Readonly<Record<Exclude<Fault, 'none'>, number>> = {
  payments: 10,
  inventory: 10,
  catalog: 10,
  'legacy-monolith': 10,
  'redis-aof': 10,
  'redis-empty': 30,
};

/** Everything a run is parameterised by; each can be overridden from the environment. */
export interface BenchConfig {
  /** Rounds; each starts the stack afresh (on the same data) and applies every fault once. */
  readonly rounds: number;
  readonly faults: readonly Fault[];
  /** Requests per second the load generator sends (open loop), and how many may be unanswered at once. */
  readonly rate: number;
  readonly maxInFlight: number;
  /** Seconds of load before each fault (and before the baseline's stop). */
  readonly loadSeconds: number;
  /** How long a fault may take to end (the process or Redis back), and the sides to converge after it. */
  readonly faultTimeoutS: number;
  readonly convergeTimeoutS: number;
  /** Seconds of quiet between two faults, after convergence. */
  readonly pauseSeconds: number;
  /** Customers (deposits, customer reads) and products (stock adjustments, product reads) the load spreads over. */
  readonly customers: number;
  readonly products: number;
  /** The services' `LOG_LEVEL`. */
  readonly logLevel: string;
  /** Print every line of the stack's processes on stderr (otherwise only the launcher's own, and the last ones on failure). */
  readonly verbose: boolean;
}

export function loadConfig(): BenchConfig {
  return {
    rounds: intFromEnv('BENCH_ROUNDS', 5),
    faults: choiceFromEnv('BENCH_FAULTS', FAULTS),
    rate: intFromEnv('BENCH_RATE', 300),
    maxInFlight: intFromEnv('BENCH_MAX_IN_FLIGHT', 64),
    loadSeconds: intFromEnv('BENCH_LOAD_SECONDS', 10),
    faultTimeoutS: intFromEnv('BENCH_FAULT_TIMEOUT_S', 60),
    convergeTimeoutS: intFromEnv('BENCH_CONVERGE_TIMEOUT_S', 120),
    pauseSeconds: intFromEnv('BENCH_PAUSE_SECONDS', 2, 0),
    customers: intFromEnv('BENCH_CUSTOMERS', 20),
    products: intFromEnv('BENCH_PRODUCTS', 10),
    logLevel: process.env.LOG_LEVEL || 'error',
    verbose: process.env.BENCH_VERBOSE === 'true',
  };
}
