import { randomBytes } from 'node:crypto';
import { choiceFromEnv, settingsReader } from '../../common/src/env';

/** What the design promises: a rule change made through one facade routes on every other within this. */
export const TARGET_MS = 200;
/** The rules group every change alters (its routes' `timeoutMs`); it exists from stage 1 on (`strangler/rules.yaml`). */
export const GROUP = 'catalog-reads';
/** How many facades the stack runs (`STACK_REPLICAS=strangler=2`). */
export const FACADES = 2;

/**
 * The facades' fallback poll in each variant: `defaultPoll` leaves `STRANGLER_POLL_INTERVAL_MS`
 * unset (5,000 ms, `strangler/README.md`), `hourPoll` sets it to its highest value, so that within a
 * run only the notification can carry a change.
 */
export const VARIANTS = ['defaultPoll', 'hourPoll'] as const;
export type Variant = (typeof VARIANTS)[number];
export const POLL_INTERVAL_MS: Readonly<Record<Variant, number | undefined>> = {
  defaultPoll: undefined,
  hourPoll: 3_600_000,
};

/** A bad setting: the run stops before anything starts, with this message alone. */
export class SettingsError extends Error {}

/** Everything a run is parameterised by; each can be overridden from the environment. */
export interface BenchConfig {
  /** The Redis of every process; every key of the run is under `prefix`, deleted at the end. */
  readonly redisUrl: string;
  readonly prefix: string;
  readonly variants: readonly Variant[];
  /** Rounds per variant, and rule changes per round (the writer alternates from change to change). */
  readonly rounds: number;
  readonly changes: number;
  /** Status requests per facade per round with no change under way: the round trip alone. */
  readonly statusSamples: number;
  /** Quiet after each change, once both facades show it. */
  readonly pauseMs: number;
  /**
   * A pause between two status requests while a change is awaited: 0 (back-to-back, the
   * measurement); more only to see how much the polling itself slows the facades.
   */
  readonly pollGapMs: number;
  /** How long a facade may take to show a change before the run fails. */
  readonly changeTimeoutMs: number;
  /** How long the stack may take to start. */
  readonly readyTimeoutS: number;
  readonly logLevel: string;
  /** Print every line of the stack's processes on stderr (otherwise the launcher's own, and the last ones on failure). */
  readonly verbose: boolean;
}

export function loadConfig(): BenchConfig {
  const { problems, read, int } = settingsReader();
  const config: BenchConfig = {
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    prefix: `ficus-bench:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`,
    variants: read(() => choiceFromEnv('BENCH_VARIANTS', VARIANTS), [...VARIANTS]),
    rounds: int('BENCH_ROUNDS', 5),
    changes: int('BENCH_CHANGES', 20, 2),
    statusSamples: int('BENCH_STATUS_SAMPLES', 100),
    pauseMs: int('BENCH_PAUSE_MS', 100, 0),
    pollGapMs: int('BENCH_POLL_GAP_MS', 0, 0),
    changeTimeoutMs: int('BENCH_CHANGE_TIMEOUT_MS', 10_000),
    readyTimeoutS: int('BENCH_READY_TIMEOUT_S', 180),
    logLevel: process.env.LOG_LEVEL || 'error',
    verbose: process.env.BENCH_VERBOSE === 'true',
  };
  if (!/^redis(s)?:\/\//.test(config.redisUrl))
    problems.push(`REDIS_URL must be a redis:// URL (got ${config.redisUrl})`);
  if (problems.length > 0) {
    throw new SettingsError(
      `Invalid settings (bench/replicas/README.md lists them):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return config;
}
