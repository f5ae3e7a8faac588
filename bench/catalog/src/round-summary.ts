import type { SideRound } from './http-phase';
import { median, round } from '../../common/src/stats';

export const ms = (value: number) => round(value, 2);
export const finite = (values: readonly (number | undefined)[]) =>
  values.filter((value): value is number => value !== undefined && Number.isFinite(value));
export const medianOf = <T>(items: readonly T[], pick: (item: T) => number | undefined) =>
  median(finite(items.map(pick)));
export const orNull = (value: number) => (Number.isFinite(value) ? value : null);
const medianRounded = <T>(items: readonly T[], pick: (item: T) => number | undefined, digits: number) =>
  orNull(round(medianOf(items, pick), digits));

/** The medians of a plane's measured rounds of one kind (p50, p99: medians of the rounds' percentiles), and each round. */
export function summarizeRounds(rounds: readonly SideRound[]) {
  const sum = (pick: (r: SideRound) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  return {
    requestsPerSecond: round(medianOf(rounds, (r) => r.requestsPerSecond)),
    p50Ms: round(
      medianOf(rounds, (r) => r.p50Ms),
      3,
    ),
    p99Ms: round(
      medianOf(rounds, (r) => r.p99Ms),
      3,
    ),
    serviceCpuUsPerRequest: medianRounded(rounds, (r) => r.serviceCpuUsPerRequest, 1),
    facadeCpuUsPerRequest: medianRounded(rounds, (r) => r.facadeCpuUsPerRequest, 1),
    /** The Redis server's CPU per request (it may serve others too). */
    redisCpuUsPerRequest: medianRounded(rounds, (r) => r.redisCpuUsPerRequest, 1),
    bytesPerResponse: round(medianOf(rounds, (r) => r.bytesPerResponse)),
    /** The whole machine's busy share during the rounds, and the share busy with other work than the run's three processes. */
    machineBusy: medianRounded(rounds, (r) => r.machine?.busy, 3),
    machineOthers: medianRounded(rounds, (r) => r.machine?.others, 3),
    responses: sum((r) => r.responses),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    rounds: rounds.map((r) => ({
      requestsPerSecond: round(r.requestsPerSecond),
      p50Ms: round(r.p50Ms, 3),
      p99Ms: round(r.p99Ms, 3),
      serviceCpuUsPerRequest: r.serviceCpuUsPerRequest === undefined ? null : round(r.serviceCpuUsPerRequest, 1),
      facadeCpuUsPerRequest: r.facadeCpuUsPerRequest === undefined ? null : round(r.facadeCpuUsPerRequest, 1),
      redisCpuUsPerRequest: r.redisCpuUsPerRequest === undefined ? null : round(r.redisCpuUsPerRequest, 1),
      machineBusy: r.machine ? round(r.machine.busy, 3) : null,
      machineOthers: r.machine ? round(r.machine.others, 3) : null,
    })),
  };
}

export type RoundsSummary = ReturnType<typeof summarizeRounds>;

/**
 * `other` against `base` (`other / base`), from the medians; `pairedThroughput` takes the ratio
 * within each round first (the two ran back to back), then the median, which checks for drift.
 */
export function compareRounds(
  baseRounds: readonly SideRound[],
  base: RoundsSummary,
  otherRounds: readonly SideRound[],
  other: RoundsSummary,
) {
  const ratio = (a: number | null, b: number | null) => (a === null || b === null ? null : orNull(round(a / b, 3)));
  const paired = otherRounds.map((r, i) => r.requestsPerSecond / (baseRounds[i]?.requestsPerSecond ?? Number.NaN));
  return {
    throughput: ratio(other.requestsPerSecond, base.requestsPerSecond),
    pairedThroughput: orNull(round(median(finite(paired)), 3)),
    p50: ratio(other.p50Ms, base.p50Ms),
    p99: ratio(other.p99Ms, base.p99Ms),
    serviceCpuPerRequest: ratio(other.serviceCpuUsPerRequest, base.serviceCpuUsPerRequest),
    facadeCpuPerRequest: ratio(other.facadeCpuUsPerRequest, base.facadeCpuUsPerRequest),
  };
}
