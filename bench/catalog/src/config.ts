import { randomBytes } from 'node:crypto';
import { KINDS, type Kind } from './requests';

function intFromEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${raw})`);
  return value;
}

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
  /** Services (`monolith`, `catalog`) profiled during the HTTP rounds; profiles land in `cpuProfileDir`. */
  readonly cpuProfile: readonly string[];
  readonly cpuProfileDir: string;
}

const list = (name: string) => (process.env[name] ?? '').split(',').filter(Boolean);

function kindsFromEnv(): Kind[] {
  const wanted = list('BENCH_KINDS');
  const unknown = wanted.filter((kind) => !KINDS.includes(kind as Kind));
  if (unknown.length > 0) throw new Error(`BENCH_KINDS: unknown kind(s) ${unknown.join(', ')} (${KINDS.join(', ')})`);
  return wanted.length > 0 ? KINDS.filter((kind) => wanted.includes(kind)) : [...KINDS];
}

export function loadConfig(): BenchConfig {
  return {
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: `ficus-bench:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`,
    rounds: intFromEnv('BENCH_ROUNDS', 5),
    roundSeconds: intFromEnv('BENCH_SECONDS', 5),
    warmupRounds: intFromEnv('BENCH_WARMUP_ROUNDS', 1, 0),
    warmupSeconds: intFromEnv('BENCH_WARMUP_SECONDS', 5),
    kinds: kindsFromEnv(),
    connections: intFromEnv('BENCH_CONNECTIONS', 32),
    lagRate: intFromEnv('BENCH_LAG_RATE', 1_000),
    lagSeconds: intFromEnv('BENCH_LAG_SECONDS', 5),
    lagRounds: intFromEnv('BENCH_LAG_ROUNDS', 3),
    lagWarmupSeconds: intFromEnv('BENCH_LAG_WARMUP_SECONDS', 2, 0),
    lagWithMonolith: process.env.BENCH_LAG_WITH_MONOLITH === 'true',
    readyTimeoutMs: intFromEnv('BENCH_READY_TIMEOUT_MS', 60_000),
    cpuProfile: list('BENCH_CPU_PROF'),
    cpuProfileDir: process.env.BENCH_CPU_PROF_DIR ?? 'bench-profiles',
  };
}
