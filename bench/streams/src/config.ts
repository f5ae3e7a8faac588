import { randomBytes } from 'node:crypto';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (got ${raw})`);
  return value;
}

/** Everything a run is parameterised by; each can be overridden from the environment. */
export interface BenchConfig {
  readonly redisUrl: string;
  /** Every key and channel of the run starts with it, and is deleted at the end. */
  readonly prefix: string;
  readonly rounds: number;
  readonly warmupRounds: number;
  readonly eventsPerRound: number;
  readonly requestsPerRound: number;
  /** Emits kept outstanding by the event producer. */
  readonly producerWindow: number;
  /** Concurrent callers of the request-reply part. */
  readonly callers: number;
  /** The transport server's `concurrency` (handlers in flight). */
  readonly concurrency: number;
  /** The transport server's `batchSize`, and the COUNT of the bare loops' XREADGROUP. */
  readonly batchSize: number;
  /** Contenders to run (names, for diagnosis); all when empty. */
  readonly only: readonly string[];
}

export function loadConfig(): BenchConfig {
  return {
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: `ficus-bench:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`,
    rounds: intFromEnv('BENCH_ROUNDS', 5),
    warmupRounds: intFromEnv('BENCH_WARMUP_ROUNDS', 1),
    eventsPerRound: intFromEnv('BENCH_EVENTS', 50_000),
    requestsPerRound: intFromEnv('BENCH_REQUESTS', 30_000),
    producerWindow: intFromEnv('BENCH_WINDOW', 512),
    callers: intFromEnv('BENCH_CALLERS', 64),
    concurrency: intFromEnv('BENCH_CONCURRENCY', 256),
    batchSize: intFromEnv('BENCH_BATCH_SIZE', 128),
    only: (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean),
  };
}
