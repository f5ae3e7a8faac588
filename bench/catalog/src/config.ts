import { randomBytes } from 'node:crypto';
import { KINDS, type Kind } from './requests';
import { choiceFromEnv, intFromEnv } from '../../common/src/env';

/** The comparisons of the HTTP rounds (`BENCH_COMPARISONS`). */
export const COMPARISONS = ['sides', 'consistency'] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Everything a run is parameterised by; each can be overridden from the environment. */
export interface BenchConfig {
  readonly redisUrl: string;
  /** Every key of the run starts with it (`REDIS_PREFIX` of the services), and is deleted at the end. */
  readonly prefix: string;
  /** HTTP: measured rounds per request kind and side, and their length; warm-up rounds before them. */
  readonly rounds: number;
  readonly roundSeconds: number;
  readonly warmupRounds: number;
  readonly warmupSeconds: number;
  /** The request kinds measured (all by default; fewer for diagnosis). */
  readonly kinds: readonly Kind[];
  /** Concurrent connections of the load generator (the same for both sides). */
  readonly connections: number;
  /** Projection lag: events per second, seconds per round, rounds; a warm-up of `lagWarmupSeconds` first. */
  readonly lagRate: number;
  readonly lagSeconds: number;
  readonly lagRounds: number;
  readonly lagWarmupSeconds: number;
  /** Whether the monolith keeps running (and applying the same stock events) during the lag rounds. */
  readonly lagWithMonolith: boolean;
  /** How long a service may take to be ready, and the read model to catch up, before the run fails. */
  readonly readyTimeoutMs: number;
  /**
   * What the HTTP rounds compare: `sides` (the monolith's reads against the catalog's) and
   * `consistency` (the catalog's reads with consistency keys and positions against without).
   */
  readonly comparisons: readonly Comparison[];
  /** Stock adjustments made (and applied) before measuring, so that the reads with consistency on carry positions. */
  readonly consistencyWrites: number;
  /** Processes (`monolith`, `catalog`, `facade`) profiled during the HTTP rounds; profiles land in `cpuProfileDir`. */
  readonly cpuProfile: readonly string[];
  readonly cpuProfileDir: string;
}

const list = (name: string) => (process.env[name] ?? '').split(',').filter(Boolean);

export function loadConfig(): BenchConfig {
  return {
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: `ficus-bench:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`,
    rounds: intFromEnv('BENCH_ROUNDS', 5),
    roundSeconds: intFromEnv('BENCH_SECONDS', 5),
    warmupRounds: intFromEnv('BENCH_WARMUP_ROUNDS', 1, 0),
    warmupSeconds: intFromEnv('BENCH_WARMUP_SECONDS', 5),
    kinds: choiceFromEnv('BENCH_KINDS', KINDS),
    connections: intFromEnv('BENCH_CONNECTIONS', 32),
    lagRate: intFromEnv('BENCH_LAG_RATE', 1_000),
    lagSeconds: intFromEnv('BENCH_LAG_SECONDS', 5),
    lagRounds: intFromEnv('BENCH_LAG_ROUNDS', 3),
    lagWarmupSeconds: intFromEnv('BENCH_LAG_WARMUP_SECONDS', 2, 0),
    lagWithMonolith: process.env.BENCH_LAG_WITH_MONOLITH === 'true',
    readyTimeoutMs: intFromEnv('BENCH_READY_TIMEOUT_MS', 60_000),
    comparisons: choiceFromEnv('BENCH_COMPARISONS', COMPARISONS),
    consistencyWrites: intFromEnv('BENCH_CONSISTENCY_WRITES', 48, 0),
    cpuProfile: list('BENCH_CPU_PROF'),
    cpuProfileDir: process.env.BENCH_CPU_PROF_DIR ?? 'bench-profiles',
  };
}
