import type { BenchConfig } from './config';
import type { Machine } from './machine';
import { MESSAGE_BYTES } from './message';
import { median, round } from '../../common/src/stats';

export interface RequestsRound {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Per contender name: the rate of each measured round. */
export type EventsResults = Record<string, number[]>;
export type RequestsResults = Record<string, RequestsRound[]>;

/** The targets, as ratios of this transport to a baseline. */
export const TARGETS = {
  eventsVsBare: { atLeast: 0.7 },
  eventsVsNestRedis: { atLeast: 1.2 },
  requestsVsNestRedis: { atLeast: 1.0 },
  p99VsNestRedis: { atMost: 1.0 },
} as const;

const ratio = (a: number, b: number) => round(a / b, 3);

/** The one JSON object that ends the output: every figure, ratio and target of the run. */
export function buildReport(
  machine: Machine,
  config: BenchConfig,
  events: EventsResults,
  requests: RequestsResults,
  durationS: number,
) {
  const eventsSummary = Object.fromEntries(
    Object.entries(events).map(([name, rates]) => [
      name,
      { perSecond: round(median(rates)), rounds: rates.map((rate) => round(rate)) },
    ]),
  );
  const requestsSummary = Object.fromEntries(
    Object.entries(requests).map(([name, rounds]) => [
      name,
      {
        perSecond: round(median(rounds.map((r) => r.rps))),
        p50Ms: round(median(rounds.map((r) => r.p50Ms)), 3),
        p99Ms: round(median(rounds.map((r) => r.p99Ms)), 3),
        rounds: rounds.map((r) => ({ perSecond: round(r.rps), p50Ms: round(r.p50Ms, 3), p99Ms: round(r.p99Ms, 3) })),
      },
    ]),
  );
  const ev = (name: string) => eventsSummary[name]?.perSecond ?? Number.NaN;
  const rq = (name: string) => requestsSummary[name] ?? { perSecond: Number.NaN, p50Ms: Number.NaN, p99Ms: Number.NaN };
  const ratios = {
    eventsTransportVsBare: ratio(ev('transport'), ev('bare')),
    eventsTransportVsNestRedis: ratio(ev('transport'), ev('nestRedis')),
    eventsBareVsNestRedis: ratio(ev('bare'), ev('nestRedis')),
    requestsTransportVsNestRedis: ratio(rq('transport').perSecond, rq('nestRedis').perSecond),
    requestsTransportVsBare: ratio(rq('transport').perSecond, rq('bare').perSecond),
    p50TransportVsNestRedis: ratio(rq('transport').p50Ms, rq('nestRedis').p50Ms),
    p99TransportVsNestRedis: ratio(rq('transport').p99Ms, rq('nestRedis').p99Ms),
    // For comparison only: Nest's transport with an AsyncLocalStorage active, as the transport always has.
    eventsTransportVsNestRedisAls: ratio(ev('transport'), ev('nestRedisAls')),
    requestsTransportVsNestRedisAls: ratio(rq('transport').perSecond, rq('nestRedisAls').perSecond),
    p99TransportVsNestRedisAls: ratio(rq('transport').p99Ms, rq('nestRedisAls').p99Ms),
  };
  const targets = {
    eventsVsBare: { ...TARGETS.eventsVsBare, ratio: ratios.eventsTransportVsBare },
    eventsVsNestRedis: { ...TARGETS.eventsVsNestRedis, ratio: ratios.eventsTransportVsNestRedis },
    requestsVsNestRedis: { ...TARGETS.requestsVsNestRedis, ratio: ratios.requestsTransportVsNestRedis },
    p99VsNestRedis: { ...TARGETS.p99VsNestRedis, ratio: ratios.p99TransportVsNestRedis },
  };
  const met = {
    eventsVsBare: targets.eventsVsBare.ratio >= targets.eventsVsBare.atLeast,
    eventsVsNestRedis: targets.eventsVsNestRedis.ratio >= targets.eventsVsNestRedis.atLeast,
    requestsVsNestRedis: targets.requestsVsNestRedis.ratio >= targets.requestsVsNestRedis.atLeast,
    p99VsNestRedis: targets.p99VsNestRedis.ratio <= targets.p99VsNestRedis.atMost,
  };
  return {
    benchmark: 'streams',
    ...machine,
    process: 'one per contender',
    durationS: round(durationS, 1),
    settings: {
      rounds: config.rounds,
      warmupRounds: config.warmupRounds,
      statistic: 'median of rounds',
      eventsPerRound: config.eventsPerRound,
      requestsPerRound: config.requestsPerRound,
      producerWindow: config.producerWindow,
      callers: config.callers,
      messageBytes: MESSAGE_BYTES,
      transport: { concurrency: config.concurrency, batchSize: config.batchSize },
      bareReadCount: config.batchSize,
    },
    events: eventsSummary,
    requests: requestsSummary,
    ratios,
    targets: Object.fromEntries(
      Object.entries(targets).map(([key, target]) => [key, { ...target, met: met[key as keyof typeof met] }]),
    ),
    allTargetsMet: Object.values(met).every(Boolean),
  };
}

/** A few lines for people, printed before the JSON. */
export function formatTable(report: ReturnType<typeof buildReport>): string {
  const lines = [
    `streams benchmark — ${report.date}, node ${report.node}, redis ${report.redis}, ${report.cpu} ×${report.cores}`,
  ];
  lines.push('events/s (median):');
  for (const [name, summary] of Object.entries(report.events)) lines.push(`  ${name.padEnd(10)} ${summary.perSecond}`);
  lines.push('requests/s, p50 ms, p99 ms (median):');
  for (const [name, summary] of Object.entries(report.requests)) {
    lines.push(`  ${name.padEnd(10)} ${summary.perSecond}  ${summary.p50Ms}  ${summary.p99Ms}`);
  }
  lines.push('targets:');
  for (const [name, target] of Object.entries(report.targets)) {
    const bound = 'atLeast' in target ? `≥ ${target.atLeast}` : `≤ ${target.atMost}`;
    lines.push(`  ${name.padEnd(20)} ${target.ratio} (${bound}) ${target.met ? 'met' : 'MISSED'}`);
  }
  return lines.join('\n');
}
