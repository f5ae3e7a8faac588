import type { BenchConfig } from './config';
import { type ConsistencySummary, consistencyLines, consistencyTarget } from './consistency-report';
import type { Side } from './facade-rules';
import type { HttpResults, SideRound } from './http-phase';
import type { LagRound } from './lag-phase';
import type { ParityReport } from './parity';
import { type Histogram, bucketQuantile, shareAtMost } from './prometheus';
import { KINDS, KIND_DETAIL, type Kind } from './requests';
import { compareRounds, finite, medianOf, ms, orNull, summarizeRounds } from './round-summary';
import type { StackTimings } from './stack';
import type { Machine } from '../../common/src/machine';
import { median, round } from '../../common/src/stats';

/** The targets. */
export const TARGETS = {
  /** Catalog requests/s ≥ 1.5 × the monolith's, for each request kind, through the facade. */
  throughput: { atLeast: 1.5 },
  /** Projection lag p99 < 100 ms at 1,000 events/s. */
  lagP99: { belowMs: 100, atRate: 1_000 },
} as const;

/** The lag rounds count as "at 1,000 events/s" when the feeder achieved at least this share of the rate. */
const RATE_TOLERANCE = 0.97;

function summarizeKind(results: Record<Side, SideRound[]>) {
  const monolith = summarizeRounds(results.monolith);
  const catalog = summarizeRounds(results.catalog);
  return { monolith, catalog, ratios: compareRounds(results.monolith, monolith, results.catalog, catalog) };
}

/**
 * What a read costs beyond the floor (`GET /health/live` on the same service, the cost every
 * request pays), and the most the catalog's side could reach if its read cost nothing: the
 * monolith's read against the catalog's floor.
 */
function readCeiling(http: Partial<Record<Kind, ReturnType<typeof summarizeKind>>>) {
  const floor = http.floor;
  if (!floor) return null;
  const cpu = (side: Side, kind: Kind) => http[kind]?.[side].serviceCpuUsPerRequest ?? null;
  const perKind = (kind: 'byId' | 'search') => {
    const read = http[kind];
    if (!read) return null;
    const beyond = (side: Side) => {
      const cost = cpu(side, kind);
      const base = cpu(side, 'floor');
      return cost === null || base === null ? null : round(cost - base, 1);
    };
    const monolithRead = cpu('monolith', kind);
    const catalogFloor = cpu('catalog', 'floor');
    return {
      /** Service CPU per request beyond its floor, µs. */
      serviceCpuBeyondFloorUs: { monolith: beyond('monolith'), catalog: beyond('catalog') },
      /** The monolith's CPU per read ÷ the catalog's floor: the CPU ratio of a catalog read that cost nothing. */
      maxCpuRatio:
        monolithRead === null || catalogFloor === null ? null : orNull(round(monolithRead / catalogFloor, 3)),
      /** The catalog's floor requests/s ÷ the monolith's read requests/s, measured. */
      maxThroughputRatio: orNull(round(floor.catalog.requestsPerSecond / read.monolith.requestsPerSecond, 3)),
    };
  };
  return {
    floor: {
      serviceCpuUsPerRequest: { monolith: cpu('monolith', 'floor'), catalog: cpu('catalog', 'floor') },
      requestsPerSecond: { monolith: floor.monolith.requestsPerSecond, catalog: floor.catalog.requestsPerSecond },
    },
    byId: perKind('byId'),
    search: perKind('search'),
  };
}

/** Sums histograms of the same buckets. */
function pooled(histograms: readonly Histogram[]): Histogram {
  const first = histograms[0];
  if (!first) return { buckets: [], count: 0, sum: 0 };
  return {
    buckets: first.buckets.map(({ le }, i) => ({
      le,
      count: histograms.reduce((total, h) => total + (h.buckets[i]?.count ?? 0), 0),
    })),
    count: histograms.reduce((total, h) => total + h.count, 0),
    sum: histograms.reduce((total, h) => total + h.sum, 0),
  };
}

const secondsToMs = (seconds: number) => orNull(ms(seconds * 1000));

function summarizeHistogram(histogram: Histogram) {
  const p50 = bucketQuantile(histogram, 0.5);
  const p99 = bucketQuantile(histogram, 0.99);
  return {
    events: histogram.count,
    meanMs: histogram.count > 0 ? ms((histogram.sum / histogram.count) * 1000) : null,
    p50: {
      moreThanMs: secondsToMs(p50.lowerBound),
      atMostMs: secondsToMs(p50.upperBound),
      interpolatedMs: secondsToMs(p50.interpolated),
    },
    p99: {
      moreThanMs: secondsToMs(p99.lowerBound),
      atMostMs: secondsToMs(p99.upperBound),
      interpolatedMs: secondsToMs(p99.interpolated),
    },
    shareAtMost100Ms: orNull(round(shareAtMost(histogram, TARGETS.lagP99.belowMs / 1000), 4)),
    /** Cumulative counts per upper bound (seconds), as the histogram has them. */
    buckets: histogram.buckets.map(({ le, count }) => ({ le: Number.isFinite(le) ? String(le) : '+Inf', count })),
  };
}

function summarizeLag(rounds: readonly LagRound[], config: BenchConfig, deadLetters: number) {
  const perRound = rounds.map((r) => ({
    published: r.published,
    rate: round(r.rate),
    feederMaxBehindMs: ms(r.feederMaxBehindMs),
    histogramP50AtMostMs: secondsToMs(bucketQuantile(r.histogram, 0.5).upperBound),
    histogramP99AtMostMs: secondsToMs(bucketQuantile(r.histogram, 0.99).upperBound),
    histogramShareAtMost100Ms: orNull(round(shareAtMost(r.histogram, TARGETS.lagP99.belowMs / 1000), 4)),
    inboxP50Ms: ms(r.inbox.p50Ms),
    inboxP99Ms: ms(r.inbox.p99Ms),
    inboxMaxMs: ms(r.inbox.maxMs),
    inboxOver100Ms: r.inbox.slow,
    drainMs: Math.round(r.drainMs),
    catalogCpuShareOfCore: r.catalog.cpuShare === undefined ? null : round(r.catalog.cpuShare, 3),
    catalogEventLoopMaxMs: ms(r.catalog.eventLoopMaxMs),
    catalogGcMs: ms(r.catalog.gcMs),
    catalogGcPausesOver100Ms: r.catalog.gcPausesOver100Ms,
    machineBusy: r.machine ? round(r.machine.busy, 3) : null,
    machineSteal: r.machine ? round(r.machine.steal, 3) : null,
  }));
  const rate = round(medianOf(rounds, (r) => r.rate));
  const histogram = {
    p50AtMostMs: orNull(median(finite(perRound.map((r) => r.histogramP50AtMostMs ?? Number.NaN)))),
    p99AtMostMs: orNull(median(finite(perRound.map((r) => r.histogramP99AtMostMs ?? Number.NaN)))),
  };
  const inbox = {
    p50Ms: ms(medianOf(rounds, (r) => r.inbox.p50Ms)),
    p99Ms: ms(medianOf(rounds, (r) => r.inbox.p99Ms)),
    maxMs: ms(medianOf(rounds, (r) => r.inbox.maxMs)),
  };
  const rateHeld = config.lagRate >= TARGETS.lagP99.atRate && rate >= RATE_TOLERANCE * config.lagRate;
  return {
    rate,
    published: rounds.reduce((total, r) => total + r.published, 0),
    appliedPerInbox: rounds.reduce((total, r) => total + r.inbox.applied, 0),
    deadLetters,
    /** Medians of the rounds: the p99's bucket bound (p99 ≤ it) from the histogram, exact from the inbox. */
    histogram,
    inbox,
    /** Every event of every round together (the rounds' histograms summed). */
    pooled: summarizeHistogram(pooled(rounds.map((r) => r.histogram))),
    rounds: perRound,
    target: {
      belowMs: TARGETS.lagP99.belowMs,
      atRate: TARGETS.lagP99.atRate,
      rate,
      histogramP99AtMostMs: histogram.p99AtMostMs,
      inboxP99Ms: inbox.p99Ms,
      met:
        rateHeld &&
        deadLetters === 0 &&
        histogram.p99AtMostMs !== null &&
        histogram.p99AtMostMs <= TARGETS.lagP99.belowMs &&
        inbox.p99Ms < TARGETS.lagP99.belowMs,
    },
  };
}

/** The one JSON object that ends the output: every figure, ratio and target of the run. */
export function buildReport(input: {
  machine: Machine;
  redis: string;
  config: BenchConfig;
  timings: StackTimings;
  products: number;
  parity: ParityReport;
  http: HttpResults;
  /** The consistency comparison, when it ran (`BENCH_COMPARISONS`). */
  consistency: ConsistencySummary | null;
  lag: readonly LagRound[];
  deadLetters: number;
  facade: string;
  loadGenerator: string;
  /** The machine's 1-minute load average when the run started and when it ended. */
  loadAverage: { start: number; end: number };
  durationS: number;
}) {
  const { config } = input;
  const sideKinds = config.comparisons.includes('sides') ? config.kinds : [];
  const http: Partial<Record<Kind, ReturnType<typeof summarizeKind>>> = Object.fromEntries(
    sideKinds.map((kind) => [kind, summarizeKind(input.http[kind])]),
  );
  const lag = summarizeLag(input.lag, config, input.deadLetters);
  const ceiling = readCeiling(http);
  // met: null when the kind was not measured (BENCH_KINDS).
  const throughputTarget = (kind: Kind) => {
    const ratio = http[kind]?.ratios.throughput ?? null;
    return {
      atLeast: TARGETS.throughput.atLeast,
      ratio,
      met: http[kind] === undefined ? null : ratio !== null && ratio >= TARGETS.throughput.atLeast,
    };
  };
  const targets = {
    byIdThroughput: throughputTarget('byId'),
    searchThroughput: throughputTarget('search'),
    lagP99: lag.target,
    consistencyByIdThroughput: consistencyTarget(input.consistency, 'byId'),
    consistencySearchThroughput: consistencyTarget(input.consistency, 'search'),
  };
  return {
    benchmark: 'catalog',
    ...input.machine,
    redis: input.redis,
    durationS: round(input.durationS, 1),
    loadAverage: { start: round(input.loadAverage.start, 2), end: round(input.loadAverage.end, 2) },
    settings: {
      rounds: config.rounds,
      roundSeconds: config.roundSeconds,
      warmupRounds: config.warmupRounds,
      warmupSeconds: config.warmupSeconds,
      connections: config.connections,
      comparisons: config.comparisons,
      loadGenerator: input.loadGenerator,
      facade: input.facade,
      requests: KIND_DETAIL,
      services: 'compiled monolith and catalog, one process each, fresh SQLite files, LOG_LEVEL=warn',
      products: input.products,
      statistic: 'median of rounds (p50, p99: medians of the rounds’ percentiles)',
      lag: {
        rate: config.lagRate,
        seconds: config.lagSeconds,
        rounds: config.lagRounds,
        warmupSeconds: config.lagWarmupSeconds,
        withMonolith: config.lagWithMonolith,
        events: 'stock.adjusted (+1 adjustments), origin inventory, over every product in turn',
        histogram: `${'catalog_projection_lag_seconds'} from the catalog's /metrics, read before and after each round (occurredAt → commit)`,
        inbox: "inbox_messages.processed_at of the catalog's SQLite − occurredAt, per event (ms)",
      },
    },
    setup: {
      seedMs: Math.round(input.timings.seedMs),
      startMs: Math.round(input.timings.startMs),
      backfillMs: Math.round(input.timings.backfillMs),
      catchUpMs: Math.round(input.timings.catchUpMs),
    },
    parity: input.parity,
    http,
    ceiling,
    consistency: input.consistency,
    lag,
    targets,
    allTargetsMet:
      targets.byIdThroughput.met === true &&
      targets.searchThroughput.met === true &&
      targets.lagP99.met &&
      targets.consistencyByIdThroughput.met === true &&
      targets.consistencySearchThroughput.met === true,
  };
}

/** A few lines for people, printed before the JSON. */
export function formatTable(report: ReturnType<typeof buildReport>): string {
  const lines = [
    `catalog benchmark — ${report.date}, node ${report.node}, redis ${report.redis}, ${report.cpu} ×${report.cores}, ${report.settings.connections} connections`,
    'kind    side       requests/s   p50 ms   p99 ms  service CPU µs/req',
  ];
  for (const kind of KINDS) {
    for (const side of ['monolith', 'catalog'] as const) {
      const s = report.http[kind]?.[side];
      if (!s) continue;
      lines.push(
        `${kind.padEnd(7)} ${side.padEnd(9)} ${String(s.requestsPerSecond).padStart(11)} ${s.p50Ms.toFixed(2).padStart(8)} ${s.p99Ms.toFixed(2).padStart(8)} ${String(s.serviceCpuUsPerRequest ?? '-').padStart(19)}` +
          (s.errors + s.non2xx + s.timeouts > 0
            ? `   errors ${s.errors}, non-2xx ${s.non2xx}, timeouts ${s.timeouts}`
            : ''),
      );
    }
  }
  lines.push(...consistencyLines(report.consistency));
  const { lag, targets } = report;
  lines.push(
    `lag at ${lag.rate}/s (medians of ${lag.rounds.length} rounds): histogram p99 ≤ ${lag.histogram.p99AtMostMs} ms; ` +
      `inbox p50 ${lag.inbox.p50Ms} ms, p99 ${lag.inbox.p99Ms} ms; all rounds together: ` +
      `${((lag.pooled.shareAtMost100Ms ?? Number.NaN) * 100).toFixed(2)} % ≤ 100 ms`,
  );
  lines.push(`parity: ${report.parity.checked} requests compared, ${report.parity.mismatches} differed`);
  const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'MISSED');
  lines.push('targets:');
  lines.push(
    `  byId throughput ≥ 1.5 × monolith: ${targets.byIdThroughput.ratio} ${verdict(targets.byIdThroughput.met)}`,
  );
  lines.push(
    `  search throughput ≥ 1.5 × monolith: ${targets.searchThroughput.ratio} ${verdict(targets.searchThroughput.met)}`,
  );
  lines.push(`  lag p99 < 100 ms at 1,000/s: ${verdict(targets.lagP99.met)}`);
  for (const kind of ['byId', 'search'] as const) {
    const target = targets[kind === 'byId' ? 'consistencyByIdThroughput' : 'consistencySearchThroughput'];
    lines.push(
      `  ${kind} throughput with consistency ≥ 0.9 × without: ${target.ratio} (paired ${target.pairedRatio}) ${verdict(target.met)}`,
    );
  }
  const { ceiling } = report;
  for (const kind of ['byId', 'search'] as const) {
    const c = ceiling?.[kind];
    if (!c) continue;
    lines.push(
      `${kind} beyond the floor (GET /health/live): monolith ${c.serviceCpuBeyondFloorUs.monolith} µs, catalog ` +
        `${c.serviceCpuBeyondFloorUs.catalog} µs of CPU per request; a catalog ${kind} costing nothing would reach ` +
        `${c.maxThroughputRatio} × the monolith's requests/s (CPU: ${c.maxCpuRatio} ×)`,
    );
  }
  return lines.join('\n');
}
