import type { BenchConfig, DatabaseKind } from './config';
import type { PacedResult, RelayBreakdown, ThroughputResult } from './measure';
import type { WayName } from './ways';
import type { Machine } from '../../common/src/machine';
import { median, round } from '../../common/src/stats';

/** The targets. */
export const TARGETS = {
  /** Outbox p99 commit-to-stream under 50 ms at 1,000 events/s. */
  p99Under50ms: { below: 50, atRate: 1_000 },
  /** Outbox throughput at least 0.5 × publishing directly after commit. */
  throughputAtLeastHalf: { atLeast: 0.5 },
} as const;

/** The paced run counts as "at 1,000 events/s" when it achieved at least this share of the rate. */
const RATE_TOLERANCE = 0.97;

export interface WayRounds {
  readonly paced: PacedResult[];
  readonly throughput: ThroughputResult[];
}

export interface DatabaseResults {
  readonly detail: string;
  readonly poolSize: number | null;
  readonly ways: Record<WayName, WayRounds>;
}

const ms = (value: number) => round(value, 2);
const medianOf = <T>(items: readonly T[], pick: (item: T) => number) => median(items.map(pick));

function summarizeRelay(relays: readonly (RelayBreakdown | undefined)[]) {
  const present = relays.filter((relay): relay is RelayBreakdown => relay !== undefined);
  if (present.length === 0) return undefined;
  return {
    batches: round(medianOf(present, (r) => r.batches)),
    meanBatchSize: round(
      medianOf(present, (r) => r.meanBatchSize),
      1,
    ),
    pickupP50Ms: ms(medianOf(present, (r) => r.pickupP50Ms)),
    pickupP99Ms: ms(medianOf(present, (r) => r.pickupP99Ms)),
    publishP50Ms: ms(medianOf(present, (r) => r.publishP50Ms)),
    publishP99Ms: ms(medianOf(present, (r) => r.publishP99Ms)),
  };
}

function summarizeWay({ paced, throughput }: WayRounds) {
  const pacedRelay = summarizeRelay(paced.map((r) => r.relay));
  const throughputRelay = summarizeRelay(throughput.map((r) => r.relay));
  return {
    paced: {
      rate: round(medianOf(paced, (r) => r.rate)),
      p50Ms: ms(medianOf(paced, (r) => r.p50Ms)),
      p99Ms: ms(medianOf(paced, (r) => r.p99Ms)),
      maxMs: ms(medianOf(paced, (r) => r.maxMs)),
      ...(pacedRelay ? { relay: pacedRelay } : {}),
      rounds: paced.map((r) => ({ rate: round(r.rate), p50Ms: ms(r.p50Ms), p99Ms: ms(r.p99Ms), maxMs: ms(r.maxMs) })),
    },
    throughput: {
      eventsPerSec: round(medianOf(throughput, (r) => r.eventsPerSec)),
      commitsPerSec: round(medianOf(throughput, (r) => r.commitsPerSec)),
      drainMs: ms(medianOf(throughput, (r) => r.drainMs)),
      ...(throughputRelay ? { relay: throughputRelay } : {}),
      rounds: throughput.map((r) => ({
        eventsPerSec: round(r.eventsPerSec),
        commitsPerSec: round(r.commitsPerSec),
        drainMs: ms(r.drainMs),
      })),
    },
  };
}

function summarizeDatabase(results: DatabaseResults, config: BenchConfig) {
  const outbox = summarizeWay(results.ways.outbox);
  const direct = summarizeWay(results.ways.direct);
  const throughputRatio = round(outbox.throughput.eventsPerSec / direct.throughput.eventsPerSec, 3);
  // Each round's two throughput runs ran back to back: the median of their ratios checks for drift.
  const paired = results.ways.outbox.throughput.map(
    (r, i) => r.eventsPerSec / (results.ways.direct.throughput[i]?.eventsPerSec ?? Number.NaN),
  );
  const rateHeld = outbox.paced.rate >= RATE_TOLERANCE * config.pacedRate;
  return {
    database: results.detail,
    poolSize: results.poolSize,
    outbox,
    direct,
    ratios: {
      throughput: throughputRatio,
      pairedThroughput: round(median(finite(paired)), 3),
      pacedP50: round(outbox.paced.p50Ms / direct.paced.p50Ms, 2),
      pacedP99: round(outbox.paced.p99Ms / direct.paced.p99Ms, 2),
    },
    targets: {
      p99Under50ms: {
        value: outbox.paced.p99Ms,
        below: TARGETS.p99Under50ms.below,
        rate: outbox.paced.rate,
        atRate: config.pacedRate,
        met:
          config.pacedRate >= TARGETS.p99Under50ms.atRate &&
          rateHeld &&
          outbox.paced.p99Ms < TARGETS.p99Under50ms.below,
      },
      throughputAtLeastHalf: {
        value: throughputRatio,
        atLeast: TARGETS.throughputAtLeastHalf.atLeast,
        met: throughputRatio >= TARGETS.throughputAtLeastHalf.atLeast,
      },
    },
  };
}

const finite = (values: readonly number[]) => values.filter((value) => Number.isFinite(value));

/** The one JSON object that ends the output: every figure, ratio and target of the run. */
export function buildReport(input: {
  machine: Machine;
  redis: string;
  config: BenchConfig;
  results: Partial<Record<DatabaseKind, DatabaseResults>>;
  outboxSettings: Record<string, unknown>;
  durationS: number;
}) {
  const { config } = input;
  const databases = Object.fromEntries(
    Object.entries(input.results).map(([kind, results]) => [kind, summarizeDatabase(results, config)]),
  ) as Partial<Record<DatabaseKind, ReturnType<typeof summarizeDatabase>>>;
  return {
    benchmark: 'outbox',
    ...input.machine,
    redis: input.redis,
    durationS: round(input.durationS, 1),
    settings: {
      rounds: config.rounds,
      warmupRounds: config.warmupRounds,
      statistic: 'median of rounds (p50, p99: medians of the rounds’ percentiles)',
      paced: { rate: config.pacedRate, seconds: config.pacedSeconds, maxInFlight: config.pacedMaxInFlight },
      throughput: { events: config.throughputEvents, concurrency: config.concurrency },
      warmupEvents: config.warmupEvents,
      latency: 'commit (transaction promise resolved) → XREAD BLOCK reader in another process got the entry',
      outbox: input.outboxSettings,
    },
    ...databases,
    allTargetsMet: Object.values(databases).every(
      (db) => db !== undefined && db.targets.p99Under50ms.met && db.targets.throughputAtLeastHalf.met,
    ),
  };
}

/** A few lines for people, printed before the JSON. */
export function formatTable(report: ReturnType<typeof buildReport>, kinds: readonly DatabaseKind[]): string {
  const lines = [
    `outbox benchmark — ${report.date}, node ${report.node}, redis ${report.redis}, ${report.cpu} ×${report.cores}`,
  ];
  for (const kind of kinds) {
    const db = report[kind];
    if (!db) continue;
    lines.push(`${kind} (${db.database}):`);
    lines.push('  way      paced rate  p50 ms  p99 ms  max ms   events/s  commits/s');
    for (const name of ['outbox', 'direct'] as const) {
      const way = db[name];
      lines.push(
        `  ${name.padEnd(8)} ${String(way.paced.rate).padStart(10)}  ${String(way.paced.p50Ms).padStart(6)}  ${String(way.paced.p99Ms).padStart(6)}  ${String(way.paced.maxMs).padStart(6)}  ${String(way.throughput.eventsPerSec).padStart(9)}  ${String(way.throughput.commitsPerSec).padStart(9)}`,
      );
    }
    const { p99Under50ms, throughputAtLeastHalf } = db.targets;
    lines.push(
      `  p99 < 50 ms at ${p99Under50ms.atRate}/s: ${p99Under50ms.value} ms at ${p99Under50ms.rate}/s ${p99Under50ms.met ? 'met' : 'MISSED'}`,
    );
    lines.push(
      `  throughput ≥ 0.5 × direct: ${throughputAtLeastHalf.value} ${throughputAtLeastHalf.met ? 'met' : 'MISSED'}`,
    );
  }
  return lines.join('\n');
}
