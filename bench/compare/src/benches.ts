/** Whether a larger value of a figure is the better one (throughput) or the worse one (latency). */
export type Better = 'higher' | 'lower';

export interface KeyFigure {
  /** Dotted path in the benchmark's JSON, e.g. `events.transport.perSecond`. */
  readonly path: string;
  readonly better: Better;
}

/** A benchmark the comparison can run on both builds. */
export interface ComparedBench {
  /** Its compiled entry point, relative to a checkout's root. */
  readonly entry: string;
  /** The figures the "within 10 %" is about: what the library under change does. */
  readonly key: readonly KeyFigure[];
}

const higher = (path: string): KeyFigure => ({ path, better: 'higher' });
const lower = (path: string): KeyFigure => ({ path, better: 'lower' });

/** What each database's part of bench:outbox reports for a way (`outbox`, `direct`: both publish with the transport). */
const outboxFigures = (database: string): KeyFigure[] =>
  ['outbox', 'direct'].flatMap((way) => [
    higher(`${database}.${way}.throughput.eventsPerSec`),
    lower(`${database}.${way}.paced.p50Ms`),
    lower(`${database}.${way}.paced.p99Ms`),
  ]);

/**
 * The benchmarks, by the name of their folder in bench/. Every other number of their JSON is
 * compared too, for information (the other contenders did not change, so their ratios show the
 * drift between the two builds' turns).
 */
export const BENCHES: Readonly<Record<string, ComparedBench>> = {
  streams: {
    entry: 'dist/bench/streams/src/main.js',
    key: [
      higher('events.transport.perSecond'),
      higher('requests.transport.perSecond'),
      lower('requests.transport.p50Ms'),
      lower('requests.transport.p99Ms'),
    ],
  },
  outbox: {
    entry: 'dist/bench/outbox/src/main.js',
    key: [...outboxFigures('sqlite'), ...outboxFigures('postgres')],
  },
};

/** Fields of a benchmark's JSON that are not figures of the run (where and when, settings, targets' bounds, per-round lists). */
const NOT_FIGURES = new Set([
  'cores',
  'durationS',
  'settings',
  'rounds',
  'loadAverage',
  'poolSize',
  'atLeast',
  'atMost',
  'below',
  'atRate',
]);

/** Every number of a benchmark's JSON by dotted path, leaving out settings, machine fields and per-round lists. */
export function figuresOf(report: unknown, path = ''): Record<string, number> {
  if (typeof report === 'number') return Number.isFinite(report) ? { [path]: report } : {};
  if (!report || typeof report !== 'object' || Array.isArray(report)) return {};
  const figures: Record<string, number> = {};
  for (const [key, value] of Object.entries(report)) {
    if (NOT_FIGURES.has(key)) continue;
    Object.assign(figures, figuresOf(value, path ? `${path}.${key}` : key));
  }
  return figures;
}
