import type { Machine } from '../../common/src/machine';
import { median, percentile, round } from '../../common/src/stats';
import { type BenchConfig, FACADES, GROUP, POLL_INTERVAL_MS, TARGET_MS, type Variant } from './config';
import type { RoundSamples } from './rounds';

const ms = (value: number) => round(value, 2);

/** Median and p95 (nearest rank) of some samples, ms. */
function spread(values: readonly number[]): { median: number; p95: number } {
  const sorted = Float64Array.from(values).sort();
  return { median: ms(median(values)), p95: ms(percentile(sorted, 95)) };
}

/** One round's figures: median and p95 over its changes, and of the status round trips before them. */
export function summariseRound(samples: RoundSamples) {
  const { changes } = samples;
  return {
    round: samples.round,
    changes: changes.length,
    otherMs: spread(changes.map((c) => c.otherMs)),
    writerMs: spread(changes.map((c) => c.writerMs)),
    statusRoundTripMs: spread(samples.statusRoundTrips),
    writeMs: spread(changes.map((c) => c.writeMs)),
    notifiedMs: spread(changes.flatMap((c) => (c.notifiedMs === null ? [] : [c.notifiedMs]))),
    notHeard: changes.filter((c) => c.notifiedMs === null).length,
    maxOtherMs: ms(Math.max(...changes.map((c) => c.otherMs))),
    /** Changes the writer already showed at its first status request (the figure is then one round trip). */
    writerAtFirstPoll: changes.filter((c) => c.writerPolls === 1).length,
    otherAtFirstPoll: changes.filter((c) => c.otherPolls === 1).length,
  };
}

export type RoundFigures = ReturnType<typeof summariseRound>;

/** A variant's figures: medians over the rounds of the rounds' medians and p95s. */
export function summariseVariant(variant: Variant, rounds: readonly RoundSamples[], stackStartS: number) {
  const figures = rounds.map(summariseRound);
  const overRounds = (pick: (round: RoundFigures) => { median: number; p95: number }) => ({
    median: ms(median(figures.map((r) => pick(r).median))),
    p95: ms(median(figures.map((r) => pick(r).p95))),
  });
  const all = rounds.flatMap((r) => r.changes);
  const other = overRounds((r) => r.otherMs);
  const writer = overRounds((r) => r.writerMs);
  const direction = (writer: number) => {
    const changes = all.filter((c) => c.writer === writer);
    return changes.length > 0 ? ms(median(changes.map((c) => c.otherMs))) : null;
  };
  return {
    variant,
    pollIntervalMs: POLL_INTERVAL_MS[variant] ?? 'default (5000)',
    stackStartS: round(stackStartS, 1),
    otherMs: { ...other, max: ms(Math.max(...all.map((c) => c.otherMs))) },
    writerMs: { ...writer, max: ms(Math.max(...all.map((c) => c.writerMs))) },
    statusRoundTripMs: overRounds((r) => r.statusRoundTripMs),
    writeMs: overRounds((r) => r.writeMs),
    notifiedMs: overRounds((r) => r.notifiedMs),
    notHeard: figures.reduce((sum, r) => sum + r.notHeard, 0),
    ratioOtherToWriter: writer.median > 0 ? round(other.median / writer.median, 2) : null,
    /** The other facade's median, all changes of one direction pooled: written through #1, through #2. */
    otherMedianByWriterMs: Object.fromEntries(
      Array.from({ length: FACADES }, (_, index) => [`strangler#${index + 1}`, direction(index + 1)]),
    ),
    withinTarget: other.median <= TARGET_MS,
    p95WithinTarget: other.p95 <= TARGET_MS,
    rounds: figures,
  };
}

export type VariantFigures = ReturnType<typeof summariseVariant>;

/** The one JSON object that ends the output; its top-level figures are the first variant's (the facades' default poll). */
export function buildReport(
  machine: Machine & { readonly redis: string; readonly loadAverage: { start: number; end: number } },
  config: BenchConfig,
  variants: readonly VariantFigures[],
  durationS: number,
) {
  const [headline] = variants;
  const byName = Object.fromEntries(variants.map((v) => [v.variant, v])) as Partial<Record<Variant, VariantFigures>>;
  const { defaultPoll, hourPoll } = byName;
  return {
    benchmark: 'replicas',
    ...machine,
    durationS: round(durationS, 1),
    settings: {
      stack: `npm start (tools/stack) with STACK_REPLICAS=strangler=${FACADES}, one instance of every other process, SQLite, rules of stage 1 (strangler/rules.yaml, the seed)`,
      change: `PATCH /admin/rules/groups/${GROUP} { timeoutMs } through one facade, the two in turn`,
      measured:
        'from the write’s answer to the first GET /admin/status answer of each facade showing the new version, both polled at once, each back-to-back',
      statistic: 'median over rounds of each round’s median and p95',
      variants: config.variants,
      rounds: config.rounds,
      changesPerRound: config.changes,
      statusSamples: config.statusSamples,
      pauseMs: config.pauseMs,
      pollGapMs: config.pollGapMs,
      targetMs: TARGET_MS,
    },
    variant: headline?.variant ?? null,
    otherMs: headline?.otherMs ?? null,
    writerMs: headline?.writerMs ?? null,
    statusRoundTripMs: headline?.statusRoundTripMs ?? null,
    ratioOtherToWriter: headline?.ratioOtherToWriter ?? null,
    withinTarget: headline?.withinTarget ?? null,
    pollComparison:
      defaultPoll && hourPoll
        ? {
            defaultPollOtherMedianMs: defaultPoll.otherMs.median,
            hourPollOtherMedianMs: hourPoll.otherMs.median,
            ratio:
              defaultPoll.otherMs.median > 0 ? round(hourPoll.otherMs.median / defaultPoll.otherMs.median, 2) : null,
          }
        : null,
    variants: byName,
  };
}

/** One line per round, printed as each ends. */
export function formatRound(variant: Variant, figures: RoundFigures): string {
  const f = (s: { median: number; p95: number }) => `${s.median}/${s.p95}`;
  return (
    `${variant} round ${figures.round}: other ${f(figures.otherMs)} ms, writer ${f(figures.writerMs)} ms, ` +
    `status round trip ${f(figures.statusRoundTripMs)} ms (median/p95 of ${figures.changes} changes), ` +
    `write ${figures.writeMs.median} ms, notification heard ${figures.notifiedMs.median} ms, max other ${figures.maxOtherMs} ms`
  );
}

/** A few lines for people, printed before the JSON. */
export function formatTable(report: ReturnType<typeof buildReport>): string {
  const lines = [
    `replicas benchmark — ${report.date}, node ${report.node}, redis ${report.redis}, ${report.cpu} ×${report.cores}`,
    `ms from the write's answer to each facade routing with it (median over rounds of median / p95); target other ≤ ${TARGET_MS} ms:`,
  ];
  for (const v of Object.values(report.variants)) {
    if (!v) continue;
    lines.push(
      `  ${v.variant.padEnd(12)} other ${v.otherMs.median} / ${v.otherMs.p95}, writer ${v.writerMs.median} / ${v.writerMs.p95}, ` +
        `status round trip ${v.statusRoundTripMs.median} / ${v.statusRoundTripMs.p95}; other/writer ×${v.ratioOtherToWriter}; ` +
        `≤ ${TARGET_MS} ms ${v.withinTarget ? 'met' : 'MISSED'}`,
    );
  }
  return lines.join('\n');
}
