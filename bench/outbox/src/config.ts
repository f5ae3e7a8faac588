import { randomBytes } from 'node:crypto';

export type DatabaseKind = 'sqlite' | 'postgres';

const KINDS: readonly DatabaseKind[] = ['sqlite', 'postgres'];

function intFromEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${raw})`);
  return value;
}

function databasesFromEnv(): DatabaseKind[] {
  const raw = (process.env.BENCH_DATABASES ?? KINDS.join(',')).split(',').filter(Boolean);
  const unknown = raw.filter((name) => !KINDS.includes(name as DatabaseKind));
  if (unknown.length > 0)
    throw new Error(`BENCH_DATABASES: unknown database(s) ${unknown.join(', ')} (sqlite, postgres)`);
  return raw as DatabaseKind[];
}

/** Everything a run is parameterised by; each can be overridden from the environment. */
export interface BenchConfig {
  readonly redisUrl: string;
  /** Every key of the run starts with it, and is deleted at the end. */
  readonly prefix: string;
  /** A PostgreSQL database the benchmark may create and drop databases from. */
  readonly postgresAdminUrl: string;
  readonly databases: readonly DatabaseKind[];
  readonly rounds: number;
  readonly warmupRounds: number;
  /** The paced run: events per second, for how long. */
  readonly pacedRate: number;
  readonly pacedSeconds: number;
  /** Paced transactions in flight at most; past it the pacer waits (and the achieved rate shows it). */
  readonly pacedMaxInFlight: number;
  /** The throughput run: events per round (and per warm-up round), and concurrent producers. */
  readonly throughputEvents: number;
  readonly warmupEvents: number;
  readonly concurrency: number;
  /** A run whose events have not all reached the stream by then fails. */
  readonly runTimeoutMs: number;
}

export function loadConfig(): BenchConfig {
  return {
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: `ficus-bench:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`,
    postgresAdminUrl: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    databases: databasesFromEnv(),
    rounds: intFromEnv('BENCH_ROUNDS', 3),
    warmupRounds: intFromEnv('BENCH_WARMUP_ROUNDS', 1, 0),
    pacedRate: intFromEnv('BENCH_PACED_RATE', 1_000),
    pacedSeconds: intFromEnv('BENCH_PACED_SECONDS', 5),
    pacedMaxInFlight: intFromEnv('BENCH_PACED_MAX_IN_FLIGHT', 1_000),
    throughputEvents: intFromEnv('BENCH_EVENTS', 10_000),
    warmupEvents: intFromEnv('BENCH_WARMUP_EVENTS', 2_000),
    concurrency: intFromEnv('BENCH_CONCURRENCY', 32),
    runTimeoutMs: intFromEnv('BENCH_RUN_TIMEOUT_MS', 60_000),
  };
}
