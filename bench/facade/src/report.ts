import type { BenchConfig } from './config';
import type { Machine } from '../../common/src/machine';
import type { LoadResult } from './protocol';
import { median, round } from '../../common/src/stats';

/** The targets, as ratios of the facade to a baseline measured in the same run. */
export const TARGETS = {
  /** Facade (100 rules) requests/s ≥ 0.85 × the bare Node proxy's. */
  throughputVsBare: { atLeast: 0.85 },
  /** Facade (100 rules) requests/s ≥ 2.5 × Nest + http-proxy-middleware's. */
  throughputVsNestHpm: { atLeast: 2.5 },
  /** Facade (100 rules) p99 ≤ 1.5 × the bare Node proxy's. */
  p99VsBare: { atMost: 1.5 },
  /** Facade with 10,000 rules within 10 % of 100 rules (requests/s). */
  largeVsSmallRules: { atLeast: 0.9 },
} as const;

/** What one measured round of one contender gave. */
export interface RoundResult extends LoadResult {
  /** CPU time (user + system) of the contender's process per answered request, µs. */
  readonly cpuUsPerRequest: number | undefined;
}

/** Per contender: what each measured round gave. */
export type Results = Record<string, RoundResult[]>;

const ratio = (a: number, b: number) => round(a / b, 3);

function summarise(rounds: readonly RoundResult[]) {
  const sum = (pick: (r: RoundResult) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  const cpu = rounds.map((r) => r.cpuUsPerRequest).filter((us): us is number => us !== undefined);
  return {
    requestsPerSecond: round(median(rounds.map((r) => r.requestsPerSecond))),
    p50Ms: round(median(rounds.map((r) => r.p50Ms)), 3),
    p99Ms: round(median(rounds.map((r) => r.p99Ms)), 3),
    cpuUsPerRequest: cpu.length > 0 ? round(median(cpu), 1) : null,
    responses: sum((r) => r.responses),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    bytesPerResponse: round(median(rounds.map((r) => r.bytesPerResponse))),
    rounds: rounds.map((r) => ({
      requestsPerSecond: round(r.requestsPerSecond),
      p50Ms: round(r.p50Ms, 3),
      p99Ms: round(r.p99Ms, 3),
      ...(r.cpuUsPerRequest === undefined ? {} : { cpuUsPerRequest: round(r.cpuUsPerRequest, 1) }),
    })),
  };
}

/** The one JSON object that ends the output: every figure, ratio and target of the run. */
export function buildReport(input: {
  machine: Machine;
  config: BenchConfig;
  results: Results;
  names: { small: string; large: string };
  loadGenerator: string;
  pinning: string;
  path: string;
  details: Record<string, string>;
  facadeImplementation: string;
  matching: unknown;
  durationS: number;
}) {
  const { machine, config, results, names } = input;
  const contenders = Object.fromEntries(Object.entries(results).map(([name, rounds]) => [name, summarise(rounds)]));
  const rps = (name: string) => contenders[name]?.requestsPerSecond ?? Number.NaN;
  const p99 = (name: string) => contenders[name]?.p99Ms ?? Number.NaN;
  const p50 = (name: string) => contenders[name]?.p50Ms ?? Number.NaN;
  const cpu = (name: string) => contenders[name]?.cpuUsPerRequest ?? Number.NaN;
  /** The median over rounds of the ratio within each round (contenders of a round ran back to back). */
  const paired = (a: string, b: string, pick: (r: RoundResult) => number) => {
    const ours = results[a] ?? [];
    const theirs = results[b] ?? [];
    const within = ours.flatMap((r, i) => {
      const other = theirs[i];
      return other ? [pick(r) / pick(other)] : [];
    });
    return round(median(within.filter(Number.isFinite)), 3);
  };
  const ratios = {
    facadeSmallVsBare: ratio(rps(names.small), rps('bare')),
    facadeLargeVsBare: ratio(rps(names.large), rps('bare')),
    facadeSmallVsNestHpm: ratio(rps(names.small), rps('nestHpm')),
    facadeLargeVsNestHpm: ratio(rps(names.large), rps('nestHpm')),
    p50FacadeSmallVsBare: ratio(p50(names.small), p50('bare')),
    p99FacadeSmallVsBare: ratio(p99(names.small), p99('bare')),
    p99FacadeLargeVsBare: ratio(p99(names.large), p99('bare')),
    facadeLargeVsSmall: ratio(rps(names.large), rps(names.small)),
    p99FacadeLargeVsSmall: ratio(p99(names.large), p99(names.small)),
    bareVsDirect: ratio(rps('bare'), rps('direct')),
    nestHpmVsBare: ratio(rps('nestHpm'), rps('bare')),
    ...(contenders.nginx ? { nginxVsBare: ratio(rps('nginx'), rps('bare')) } : {}),
    // CPU time per request of the proxy's process: less sensitive to a busy machine than throughput.
    cpuFacadeSmallVsBare: ratio(cpu(names.small), cpu('bare')),
    cpuFacadeLargeVsBare: ratio(cpu(names.large), cpu('bare')),
    cpuFacadeSmallVsNestHpm: ratio(cpu(names.small), cpu('nestHpm')),
    cpuFacadeLargeVsSmall: ratio(cpu(names.large), cpu(names.small)),
  };
  // The same ratios taken within each round, then the median: a check on drift between rounds.
  const pairedRatios = {
    facadeSmallVsBare: paired(names.small, 'bare', (r) => r.requestsPerSecond),
    facadeSmallVsNestHpm: paired(names.small, 'nestHpm', (r) => r.requestsPerSecond),
    p99FacadeSmallVsBare: paired(names.small, 'bare', (r) => r.p99Ms),
    facadeLargeVsSmall: paired(names.large, names.small, (r) => r.requestsPerSecond),
  };
  const targets = {
    throughputVsBare: { ...TARGETS.throughputVsBare, ratio: ratios.facadeSmallVsBare },
    throughputVsNestHpm: { ...TARGETS.throughputVsNestHpm, ratio: ratios.facadeSmallVsNestHpm },
    p99VsBare: { ...TARGETS.p99VsBare, ratio: ratios.p99FacadeSmallVsBare },
    largeVsSmallRules: { ...TARGETS.largeVsSmallRules, ratio: ratios.facadeLargeVsSmall },
  };
  // null: not measured in this run (BENCH_ONLY left a contender out).
  const met: Record<string, boolean | null> = Object.fromEntries(
    Object.entries(targets).map(([key, target]) => [
      key,
      Number.isNaN(target.ratio)
        ? null
        : 'atLeast' in target
          ? target.ratio >= target.atLeast
          : target.ratio <= target.atMost,
    ]),
  );
  return {
    benchmark: 'facade',
    ...machine,
    process: 'one per contender, one for the upstream, one for the load generator',
    durationS: round(input.durationS, 1),
    loadGenerator: input.loadGenerator,
    pinning: input.pinning,
    facadeImplementation: input.facadeImplementation,
    settings: {
      rounds: config.rounds,
      warmupRounds: config.warmupRounds,
      roundSeconds: config.roundSeconds,
      warmupSeconds: config.warmupSeconds,
      connections: config.connections,
      bodyBytes: config.bodyBytes,
      path: input.path,
      rules: { [names.small]: config.smallRules, [names.large]: config.largeRules },
      statistic: 'median of rounds (p50 and p99: medians of the rounds’ percentiles)',
    },
    contenders,
    details: input.details,
    ratios,
    pairedRatios,
    targets: Object.fromEntries(Object.entries(targets).map(([key, target]) => [key, { ...target, met: met[key] }])),
    allTargetsMet: Object.values(met).every((value) => value === true),
    matching: input.matching,
  };
}

/** A few lines for people, printed before the JSON. */
export function formatTable(report: ReturnType<typeof buildReport>): string {
  const lines = [
    `facade benchmark — ${report.date}, node ${report.node}, ${report.cpu} ×${report.cores}, ${report.loadGenerator}, ${report.settings.connections} connections`,
    'contender       requests/s   p50 ms   p99 ms  CPU µs/req   (median of rounds)',
  ];
  for (const [name, c] of Object.entries(report.contenders)) {
    lines.push(
      `  ${name.padEnd(12)} ${String(c.requestsPerSecond).padStart(10)} ${c.p50Ms.toFixed(2).padStart(8)} ${c.p99Ms.toFixed(2).padStart(8)} ${(c.cpuUsPerRequest === null ? '-' : c.cpuUsPerRequest.toFixed(1)).padStart(11)}` +
        (c.errors + c.non2xx + c.timeouts > 0
          ? `   errors ${c.errors}, non-2xx ${c.non2xx}, timeouts ${c.timeouts}`
          : ''),
    );
  }
  lines.push('targets:');
  for (const [name, target] of Object.entries(report.targets)) {
    const bound = 'atLeast' in target ? `≥ ${target.atLeast}` : `≤ ${target.atMost}`;
    const verdict = target.met === null ? 'not measured' : target.met ? 'met' : 'MISSED';
    lines.push(`  ${name.padEnd(20)} ${target.ratio} (${bound}) ${verdict}`);
  }
  return lines.join('\n');
}
