import type { Machine } from '../../common/src/machine';
import { median, round } from '../../common/src/stats';
import { type BenchConfig, STAGES, TARGETS, type Variant } from './config';
import type { Measured, PhaseRound } from './rounds';
import type { SyncCheck } from './settle';
import { DEPOSIT_CENTS, STOCK_TOP_UP } from './shop';

const finite = (values: readonly (number | null | undefined)[]) =>
  values.filter((value): value is number => value !== null && value !== undefined && Number.isFinite(value));
/** The median of the finite values, rounded; null when there is none. */
const medianOf = (values: readonly (number | null | undefined)[], digits = 0) => {
  const known = finite(values);
  return known.length > 0 ? round(median(known), digits) : null;
};
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || !b ? null : round(a / b, 3);
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

function merged(counts: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const all: Record<string, number> = {};
  for (const count of counts) for (const [key, n] of Object.entries(count)) all[key] = (all[key] ?? 0) + n;
  return all;
}

/** The medians of a phase's rounds (p50, p99: medians of the rounds' percentiles), totals, and each round. */
function summarizePhase(rounds: readonly PhaseRound[]) {
  const loads = rounds.map((r) => r.load);
  const owners = Object.keys(rounds[0]?.cpuMsPerOrder ?? {}) as (keyof PhaseRound['cpuMsPerOrder'])[];
  return {
    approvedPerSecond: medianOf(loads.map((l) => l.approvedPerSecond)),
    sentPerSecond: medianOf(loads.map((l) => l.sentPerSecond)),
    p50Ms: medianOf(
      loads.map((l) => l.p50Ms),
      2,
    ),
    p99Ms: medianOf(
      loads.map((l) => l.p99Ms),
      2,
    ),
    worstRoundP99Ms:
      finite(loads.map((l) => l.p99Ms)).length > 0 ? round(Math.max(...finite(loads.map((l) => l.p99Ms))), 2) : null,
    sent: sum(loads.map((l) => l.sent)),
    approved: sum(loads.map((l) => l.approved)),
    errors: sum(loads.map((l) => l.errors)),
    outcomes: merged(loads.map((l) => l.outcomes)),
    skipped: sum(loads.map((l) => l.skipped)),
    settleMs: medianOf(rounds.map((r) => r.settleMs)),
    cpuMsPerOrder: Object.fromEntries(
      owners.map((owner) => [
        owner,
        medianOf(
          rounds.map((r) => r.cpuMsPerOrder[owner]),
          3,
        ),
      ]),
    ),
    machineBusy: medianOf(
      rounds.map((r) => r.machine?.busy),
      3,
    ),
    machineOthers: medianOf(
      rounds.map((r) => r.machine?.others),
      3,
    ),
    rounds: rounds.map((r) => ({
      round: r.round,
      approvedPerSecond: round(r.load.approvedPerSecond, 1),
      sentPerSecond: round(r.load.sentPerSecond, 1),
      p50Ms: r.load.p50Ms === null ? null : round(r.load.p50Ms, 2),
      p99Ms: r.load.p99Ms === null ? null : round(r.load.p99Ms, 2),
      maxMs: r.load.maxMs === null ? null : round(r.load.maxMs, 2),
      sent: r.load.sent,
      approved: r.load.approved,
      errors: r.load.errors,
      outcomes: r.load.outcomes,
      skipped: r.load.skipped,
      maxLateMs: round(r.load.maxLateMs, 2),
      settleMs: Math.round(r.settleMs),
      cpuMsPerOrder: r.cpuMsPerOrder,
      machine: r.machine ?? null,
    })),
  };
}

type VariantSummary = { throughput: ReturnType<typeof summarizePhase>; latency: ReturnType<typeof summarizePhase> };

export interface ReportInput {
  readonly machine: Machine & { readonly redis: string; readonly loadAverage: { start: number; end: number } };
  readonly config: BenchConfig;
  readonly setup: Readonly<Record<string, unknown>>;
  readonly measured: Measured;
  readonly syncVerify: { readonly afterSeed: SyncCheck; readonly atEnd: SyncCheck };
  readonly deadLetters: number;
  readonly durationS: number;
}

/** The one JSON object that ends the output: every figure, ratio and target of the run. */
export function buildReport(input: ReportInput) {
  const { config, measured } = input;
  const variants = Object.fromEntries(
    config.variants.map((variant) => [
      variant,
      {
        throughput: summarizePhase(measured[variant]!.throughput),
        latency: summarizePhase(measured[variant]!.latency),
      },
    ]),
  ) as Partial<Record<Variant, VariantSummary>>;
  const { monolith, saga } = variants;
  const paired = (measured.saga?.throughput ?? []).map((r, i) =>
    ratio(r.load.approvedPerSecond, measured.monolith?.throughput[i]?.load.approvedPerSecond),
  );
  const ratios =
    monolith && saga
      ? {
          throughput: ratio(saga.throughput.approvedPerSecond, monolith.throughput.approvedPerSecond),
          pairedThroughput: medianOf(paired, 3),
          p50: ratio(saga.latency.p50Ms, monolith.latency.p50Ms),
          p99: ratio(saga.latency.p99Ms, monolith.latency.p99Ms),
          cpuPerOrder: ratio(saga.throughput.cpuMsPerOrder.total, monolith.throughput.cpuMsPerOrder.total),
        }
      : null;
  const latency = saga?.latency;
  const targets = {
    sagaThroughput: {
      atLeast: TARGETS.throughputRatio,
      ratio: ratios?.throughput ?? null,
      pairedRatio: ratios?.pairedThroughput ?? null,
      met: ratios?.throughput == null ? null : ratios.throughput >= TARGETS.throughputRatio,
    },
    sagaP99: {
      atMostMs: TARGETS.p99Ms,
      atRate: TARGETS.atRate,
      rate: config.rate,
      p99Ms: latency?.p99Ms ?? null,
      worstRoundP99Ms: latency?.worstRoundP99Ms ?? null,
      errors: latency?.errors ?? null,
      skipped: latency?.skipped ?? null,
      /** Null when not measured at the target's rate; not met with any error or skipped order. */
      met:
        !latency || config.rate !== TARGETS.atRate
          ? null
          : latency.p99Ms !== null && latency.p99Ms <= TARGETS.p99Ms && latency.errors === 0 && latency.skipped === 0,
    },
  };
  return {
    benchmark: 'orders',
    ...input.machine,
    durationS: round(input.durationS, 1),
    settings: {
      rounds: config.rounds,
      variants: config.variants,
      stages: Object.fromEntries(config.variants.map((variant) => [variant, STAGES[variant]])),
      statistic: 'median of rounds (p50, p99: medians of the rounds’ percentiles); variants alternate within a round',
      warmupSeconds: config.warmupSeconds,
      throughput: { loop: 'closed', concurrency: config.concurrency, seconds: config.throughputSeconds },
      latency: { loop: 'open', rate: config.rate, seconds: config.latencySeconds },
      order: 'POST /api/orders through the facade: 1 item, quantity 1, price 100 cents, the products in turn',
      counted: '201 with status APPROVED; any other answer, or none within 10 s, is an error',
      customers: config.customers,
      products: config.products,
      depositCents: DEPOSIT_CENTS,
      stock: STOCK_TOP_UP,
      stack:
        'npm start (tools/stack): every process on this machine, SQLite in a temp dir, the shared Redis under a prefix of its own',
      logLevel: config.logLevel,
    },
    setup: input.setup,
    variants,
    ratios,
    targets,
    allTargetsMet: targets.sagaThroughput.met === true && targets.sagaP99.met === true,
    syncVerify: input.syncVerify,
    deadLetters: input.deadLetters,
  };
}

export type Report = ReturnType<typeof buildReport>;

const cell = (value: number | null | undefined, width: number) => String(value ?? '-').padStart(width);
const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'MISSED');

/** A few lines for people (stderr), before the JSON. */
export function formatTable(report: Report): string {
  const lines = [
    `orders benchmark — ${report.date}, node ${report.node}, redis ${report.redis}, ${report.cpu} ×${report.cores}`,
    `${''.padEnd(10)}${'approved/s'.padStart(11)}${'cpu ms/order'.padStart(14)}${`p50 @${report.settings.latency.rate}/s`.padStart(12)}${'p99'.padStart(9)}${'errors'.padStart(8)}`,
  ];
  for (const [variant, summary] of Object.entries(report.variants)) {
    if (!summary) continue;
    lines.push(
      `${variant.padEnd(10)}${cell(summary.throughput.approvedPerSecond, 11)}${cell(summary.throughput.cpuMsPerOrder.total, 14)}` +
        `${cell(summary.latency.p50Ms, 12)}${cell(summary.latency.p99Ms, 9)}${cell(summary.throughput.errors + summary.latency.errors, 8)}`,
    );
  }
  const { sagaThroughput, sagaP99 } = report.targets;
  lines.push(
    `saga/monolith throughput ${sagaThroughput.ratio ?? '-'} (paired ${sagaThroughput.pairedRatio ?? '-'}); target ≥ ${sagaThroughput.atLeast}: ${verdict(sagaThroughput.met)}`,
    `saga p99 at ${sagaP99.rate}/s ${sagaP99.p99Ms ?? '-'} ms (worst round ${sagaP99.worstRoundP99Ms ?? '-'}); target ≤ ${sagaP99.atMostMs} ms at ${sagaP99.atRate}/s: ${verdict(sagaP99.met)}`,
  );
  return lines.join('\n');
}
