import type { BenchConfig } from './config';
import type { ConsistencySetup, PositionsCarried } from './consistency-setup';
import { VARIANTS, type Variant } from './facade-rules';
import type { ConsistencyResults, VariantRound } from './http-phase';
import { CONSISTENCY_KINDS, type ConsistencyKind } from './requests';
import { compareRounds, ms, summarizeRounds } from './round-summary';
import { round } from '../../common/src/stats';

/** Issue 14: with consistency on, when nothing is pending, reads keep ≥ 0.9 × the throughput of consistency off. */
export const CONSISTENCY_TARGET = { atLeast: 0.9 } as const;

/** A variant's rounds, and what the catalog did with `x-ficus-await` meanwhile (null: it reports nothing of it). */
function summarizeVariant(rounds: readonly VariantRound[]) {
  const summary = summarizeRounds(rounds);
  const counted = rounds.flatMap((r) => (r.awaits ? [r.awaits] : []));
  const awaited = counted.reduce((total, a) => total + a.awaited, 0);
  const waitSeconds = counted.reduce((total, a) => total + a.waitSeconds, 0);
  const whole = counted.length === rounds.length && rounds.length > 0;
  return {
    ...summary,
    catalogAwaits: whole
      ? {
          /** Answers of the catalog that awaited positions, of all answered. */
          awaited,
          shareOfResponses: summary.responses > 0 ? round(awaited / summary.responses, 4) : null,
          meanWaitMs: awaited > 0 ? ms((waitSeconds / awaited) * 1000) : null,
          stale: counted.reduce((total, a) => total + a.stale, 0),
        }
      : null,
  };
}

function summarizeConsistencyKind(results: Record<Variant, VariantRound[]>) {
  const off = summarizeVariant(results.off);
  const on = summarizeVariant(results.on);
  const extra = (pick: (s: typeof on) => number | null) => {
    const a = pick(on);
    const b = pick(off);
    return a === null || b === null ? null : round(a - b, 1);
  };
  return {
    off,
    on,
    ratios: compareRounds(results.off, off, results.on, on),
    /** CPU per request with consistency on minus off, µs: what it costs each process (Redis: the server, shared). */
    extraCpuUsPerRequest: {
      catalog: extra((s) => s.serviceCpuUsPerRequest),
      facade: extra((s) => s.facadeCpuUsPerRequest),
      redis: extra((s) => s.redisCpuUsPerRequest),
    },
  };
}

export type ConsistencyKindSummary = ReturnType<typeof summarizeConsistencyKind>;

/** The consistency comparison of the JSON: the writes made before, the positions the reads carried, each kind off and on. */
export function summarizeConsistency(input: {
  config: BenchConfig;
  setup: ConsistencySetup;
  windowMs: number;
  positions: { before: PositionsCarried; after: PositionsCarried };
  results: ConsistencyResults;
}) {
  const { setup } = input;
  const measured = CONSISTENCY_KINDS.filter((kind) => input.config.kinds.includes(kind));
  const kinds: Partial<Record<ConsistencyKind, ConsistencyKindSummary>> = Object.fromEntries(
    measured.map((kind) => [kind, summarizeConsistencyKind(input.results[kind])]),
  );
  return {
    writes: setup.writes,
    writeMs: Math.round(setup.writeMs),
    appliedMs: Math.round(setup.appliedMs),
    windowMs: input.windowMs,
    positions: input.positions,
    check: { checked: setup.checked, mismatches: setup.mismatches, stale: setup.stale, examples: setup.examples },
    ...kinds,
  };
}

export type ConsistencySummary = ReturnType<typeof summarizeConsistency>;

/**
 * The target per kind, met when both the ratio of the medians and the median of the within-round
 * ratios reach it (the variants ran back to back: on a shared machine the paired ratio is the
 * steadier of the two, and a drift between rounds may carry either across the line). Null when
 * the kind was not measured, or when the facade kept no positions before measuring (the monolith
 * reported none), since the comparison then is not the one asked for.
 */
export function consistencyTarget(summary: ConsistencySummary | null, kind: ConsistencyKind) {
  const measured = summary?.[kind];
  const recorded = summary?.positions.before.recorded ?? 0;
  const ratio = measured?.ratios.throughput ?? null;
  const pairedRatio = measured?.ratios.pairedThroughput ?? null;
  const reaches = (value: number | null) => value !== null && value >= CONSISTENCY_TARGET.atLeast;
  return {
    atLeast: CONSISTENCY_TARGET.atLeast,
    ratio,
    pairedRatio,
    met: measured === undefined || recorded === 0 ? null : reaches(ratio) && reaches(pairedRatio),
  };
}

const cell = (value: number | null | undefined, width: number) => String(value ?? '-').padStart(width);

/** The table's lines of the consistency comparison. */
export function consistencyLines(summary: ConsistencySummary | null): string[] {
  if (!summary) return [];
  const { byId, search } = summary.positions.before;
  const lines = [
    `consistency: ${summary.writes} writes applied before measuring; byId reads of ${byId.carrying} of ${byId.ids} ids carry ` +
      `${byId.positionsPerCarryingRead ?? 0} position(s), every search read ${search.positionsPerRead ?? 0}`,
    'kind    consistency  requests/s   p50 ms   p99 ms  catalog µs/req  facade µs/req  redis µs/req  awaited   stale',
  ];
  for (const kind of CONSISTENCY_KINDS) {
    const measured = summary[kind];
    if (!measured) continue;
    for (const variant of VARIANTS) {
      const s = measured[variant];
      lines.push(
        `${kind.padEnd(7)} ${variant.padEnd(11)} ${cell(s.requestsPerSecond, 11)} ${s.p50Ms.toFixed(2).padStart(8)} ${s.p99Ms.toFixed(2).padStart(8)} ` +
          `${cell(s.serviceCpuUsPerRequest, 15)} ${cell(s.facadeCpuUsPerRequest, 14)} ${cell(s.redisCpuUsPerRequest, 13)} ` +
          `${cell(s.catalogAwaits?.shareOfResponses, 8)} ${cell(s.catalogAwaits?.stale, 7)}`,
      );
    }
    const r = measured.ratios;
    const e = measured.extraCpuUsPerRequest;
    lines.push(
      `${kind.padEnd(7)} on/off      ${cell(r.throughput, 11)} ${cell(r.p50, 8)} ${cell(r.p99, 8)} ${cell(r.serviceCpuPerRequest, 15)} ${cell(r.facadeCpuPerRequest, 14)}` +
        `   (paired throughput ${r.pairedThroughput}; CPU on − off: catalog ${e.catalog}, facade ${e.facade}, redis ${e.redis} µs/req)`,
    );
  }
  return lines;
}
