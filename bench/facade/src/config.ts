function intFromEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${raw})`);
  return value;
}

/** Everything a run is parameterised by; each can be overridden from the environment. */
export interface BenchConfig {
  readonly rounds: number;
  readonly warmupRounds: number;
  /** Length of a measured round, and of a warm-up round (seconds). */
  readonly roundSeconds: number;
  readonly warmupSeconds: number;
  /** Concurrent connections of the load generator (the same for every contender). */
  readonly connections: number;
  /** Size of the stub upstream's JSON answer. */
  readonly bodyBytes: number;
  /** The rule counts of the two facade contenders. */
  readonly smallRules: number;
  readonly largeRules: number;
  /** Contenders to run (names, for diagnosis); all when empty. */
  readonly only: readonly string[];
  /** Opt-in diagnostic contenders: `rulesProxy`, `nestHpmDefaults`. */
  readonly extra: readonly string[];
  /** Contenders whose process runs with `--cpu-prof` (profiles in `cpuProfileDir`). */
  readonly cpuProfile: readonly string[];
  readonly cpuProfileDir: string;
  /** Whether to run the matching micro-benchmark first (in a process of its own). */
  readonly matching: boolean;
  /**
   * Whether to pin processes with `taskset` (where it exists and there are 2+ cores): the
   * proxies on the last core, the upstream and the load generator on the others. Off by
   * default: on a machine shared with other work, a pinned proxy cannot move off a busy
   * core, and rounds varied more pinned than not.
   */
  readonly pin: boolean;
}

const list = (name: string) => (process.env[name] ?? '').split(',').filter(Boolean);

export function loadConfig(): BenchConfig {
  return {
    rounds: intFromEnv('BENCH_ROUNDS', 7),
    warmupRounds: intFromEnv('BENCH_WARMUP_ROUNDS', 1, 0),
    roundSeconds: intFromEnv('BENCH_SECONDS', 4),
    warmupSeconds: intFromEnv('BENCH_WARMUP_SECONDS', 3),
    connections: intFromEnv('BENCH_CONNECTIONS', 32),
    bodyBytes: intFromEnv('BENCH_BODY_BYTES', 1024),
    smallRules: intFromEnv('BENCH_SMALL_RULES', 100),
    largeRules: intFromEnv('BENCH_LARGE_RULES', 10_000),
    only: list('BENCH_ONLY'),
    extra: list('BENCH_EXTRA'),
    cpuProfile: list('BENCH_CPU_PROF'),
    cpuProfileDir: process.env.BENCH_CPU_PROF_DIR ?? 'bench-profiles',
    matching: process.env.BENCH_MATCHING !== 'false',
    pin: process.env.BENCH_PIN === 'true',
  };
}
