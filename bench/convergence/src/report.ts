import type { Machine } from '../../common/src/machine';
import { median, round } from '../../common/src/stats';
import { type BenchConfig, type Fault, TARGETS_S } from './config';
import type { LoadResult } from './protocol';

/** One fault in one round. */
export interface FaultRound {
  readonly round: number;
  readonly fault: Fault;
  /** Kill → the process (or Redis) answering again, s; 0 for the baseline. */
  readonly outageS: number;
  /** End of the fault → converged, s; null when it did not converge within `convergeTimeoutS`. */
  readonly convergedS: number | null;
  readonly verifyRuns: number;
  readonly checks: number;
  readonly unreflected: number;
  readonly load: Omit<LoadResult, 'deposits' | 'stock'> & { readonly uncertainWrites: number };
}

export interface RoundSummary {
  readonly round: number;
  /** Launcher start → everything ready, s. */
  readonly stackStartS: number;
  /** One sync:verify run on sides that already agree (no load): what every convergence time includes at least. */
  readonly syncVerifyS: number;
  /** Dead letters in the services' streams at the end of the round. */
  readonly deadLetters: number;
}

const s = (ms: number) => round(ms / 1000, 2);
export const seconds = s;

function summarise(rounds: readonly FaultRound[], baselineS: number | undefined) {
  const converged = rounds.map((r) => r.convergedS).filter((value): value is number => value !== null);
  const all = rounds.length === converged.length;
  const medianS = converged.length > 0 ? round(median(converged), 2) : null;
  const maxS = all && converged.length > 0 ? round(Math.max(...converged), 2) : null;
  return {
    convergedS: { median: medianS, max: maxS, rounds: rounds.map((r) => r.convergedS) },
    notConverged: rounds.length - converged.length,
    outageS: { median: round(median(rounds.map((r) => r.outageS)), 2), rounds: rounds.map((r) => r.outageS) },
    ratioToBaseline:
      medianS !== null && baselineS !== undefined && baselineS > 0 ? round(medianS / baselineS, 2) : null,
    load: {
      steadyOkPerSecond: round(median(rounds.map((r) => r.load.steady.okPerSecond))),
      steadySentPerSecond: round(median(rounds.map((r) => r.load.steady.sentPerSecond))),
      okPerSecond: round(median(rounds.map((r) => r.load.okPerSecond))),
      p50Ms: round(median(rounds.map((r) => r.load.p50Ms)), 2),
      p99Ms: round(median(rounds.map((r) => r.load.p99Ms)), 2),
      serverErrors: rounds.reduce((sum, r) => sum + r.load.serverErrors, 0),
      errors: rounds.reduce((sum, r) => sum + r.load.errors, 0),
      skipped: rounds.reduce((sum, r) => sum + r.load.skipped, 0),
      uncertainWrites: rounds.reduce((sum, r) => sum + r.load.uncertainWrites, 0),
    },
    verifyRuns: rounds.reduce((sum, r) => sum + r.verifyRuns, 0),
    unreflected: rounds.reduce((sum, r) => sum + r.unreflected, 0),
  };
}

/** The one JSON object that ends the output: every figure, ratio and target of the run. */
export function buildReport(
  machine: Machine & { readonly redis: string; readonly loadAverage: { start: number; end: number } },
  config: BenchConfig,
  faultRounds: readonly FaultRound[],
  rounds: readonly RoundSummary[],
  durationS: number,
) {
  const of = (fault: Fault) => faultRounds.filter((r) => r.fault === fault);
  const baselineRounds = of('none');
  const baseline = baselineRounds.length > 0 ? summarise(baselineRounds, undefined) : undefined;
  const baselineS = baseline?.convergedS.median ?? undefined;
  const faults = Object.fromEntries(
    config.faults
      .filter((fault): fault is Exclude<Fault, 'none'> => fault !== 'none')
      .map((fault) => {
        const summary = summarise(of(fault), baselineS);
        const targetS = TARGETS_S[fault];
        const { median: medianS, max: maxS } = summary.convergedS;
        return [
          fault,
          {
            ...summary,
            target: {
              atMostS: targetS,
              from: fault.startsWith('redis') ? 'Redis answering again' : `"${fault} is ready again."`,
              met: maxS !== null && maxS <= targetS,
              medianMet: medianS !== null && medianS <= targetS,
            },
          },
        ];
      }),
  );
  const steady = faultRounds.map((r) => r.load.steady.okPerSecond);
  const steadySent = median(faultRounds.map((r) => r.load.steady.sentPerSecond));
  return {
    benchmark: 'convergence',
    ...machine,
    durationS: round(durationS, 1),
    settings: {
      rounds: config.rounds,
      faults: config.faults,
      statistic: 'median and max of rounds',
      stack: 'npm start (tools/stack) at migration stage 3, SQLite, a redis-server of its own with an append-only file',
      load: {
        rate: config.rate,
        maxInFlight: config.maxInFlight,
        seconds: config.loadSeconds,
        mix: 'deposit, stock adjustment, product read, customer read in turn, through the facade',
        customers: config.customers,
        products: config.products,
      },
      converged:
        'sync:verify exits 0, and the monolith (and the catalog, for stock) holds every write answered 2xx, none answered 4xx, and at most the writes answered 5xx or not at all',
      baseline: 'no fault: the load stops, then the time until converged, measured the same way',
      faultTimeoutS: config.faultTimeoutS,
      convergeTimeoutS: config.convergeTimeoutS,
      eventsEnv: Object.fromEntries(
        Object.entries(process.env).filter(([name]) => /^(EVENTS|OUTBOX|STREAMS|INBOX)_/.test(name)),
      ),
    },
    load: {
      targetRate: config.rate,
      steadyOkPerSecond: round(median(steady)),
      steadyOkPerSecondMin: steady.length > 0 ? round(Math.min(...steady)) : null,
      steadySentPerSecond: round(steadySent),
      /** Whether the load sent at least 95 % of the rate before the faults (median): requests held back by the window are not sent. */
      reachedTarget: steadySent >= config.rate * 0.95,
    },
    baseline: baseline ? { convergedS: baseline.convergedS, load: baseline.load } : null,
    syncVerifyS: round(median(rounds.map((r) => r.syncVerifyS)), 2),
    faults,
    rounds,
    deadLetters: rounds.reduce((sum, r) => sum + r.deadLetters, 0),
    allTargetsMet: Object.values(faults).every((fault) => fault.target.met),
    faultRounds,
  };
}

/** A few lines for people, printed before the JSON. */
export function formatTable(report: ReturnType<typeof buildReport>): string {
  const lines = [
    `convergence benchmark — ${report.date}, node ${report.node}, redis ${report.redis}, ${report.cpu} ×${report.cores}`,
    `load: target ${report.load.targetRate} req/s, 2xx ${report.load.steadyOkPerSecond}/s before the faults (median)`,
    'seconds from the end of the fault to converged (median, max; target):',
  ];
  lines.push(`  ${'sync:verify run'.padEnd(16)} ${report.syncVerifyS} (one run on settled sides: the floor)`);
  if (report.baseline) {
    const { median: m, max } = report.baseline.convergedS;
    lines.push(`  ${'none (baseline)'.padEnd(16)} ${m} ${max}`);
  }
  for (const [name, fault] of Object.entries(report.faults)) {
    const { median: m, max } = fault.convergedS;
    const verdict = fault.target.met ? 'met' : 'MISSED';
    lines.push(
      `  ${name.padEnd(16)} ${m} ${max}; ≤ ${fault.target.atMostS} s ${verdict}; ×${fault.ratioToBaseline} baseline; outage ${fault.outageS.median} s`,
    );
  }
  return lines.join('\n');
}
