import { performance } from 'node:perf_hooks';
import { CompiledRuleSet, type RoutingRequest, toRoutingRequest } from '../../../strangler/src/rules';
import { describeMachine } from '../../common/src/machine';
import { pathFor, ruleTable } from './rule-table';
import { median, round } from '../../common/src/stats';

/**
 * The matching micro-benchmark: `CompiledRuleSet.decide()` with a small and a large rule
 * table, for a request that hits a route early in the table, one that hits a route late in
 * it, and one that hits none. Runs in one process (no HTTP); sizes and kinds take turns in
 * every round, and each figure is the median of the rounds.
 */

export const MATCHING_TARGET = { largeVsSmall: { atMost: 1.5 } } as const;

const KINDS = ['early', 'late', 'none'] as const;
type Kind = (typeof KINDS)[number];

interface Table {
  readonly size: number;
  readonly rules: CompiledRuleSet;
  readonly requests: Record<Kind, { path: string; request: RoutingRequest; expected: string | undefined }>;
}

function request(path: string): RoutingRequest {
  const parsed = toRoutingRequest('GET', path, { host: 'shop.example', accept: 'application/json' }, '203.0.113.7');
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.request;
}

function table(size: number): Table {
  const document = ruleTable(size, 'http://127.0.0.1:3000');
  const rules = new CompiledRuleSet(1, document);
  // Early and late: the first and the last route of one shape (`…/:id`), so both sizes ask the same work.
  const withId = document.routes.filter((route) => /^\/api\/[^/]+\/[^/]+\/:id$/.test(route.match.path));
  const early = withId[0];
  const late = withId[withId.length - 1];
  if (!early || !late || early === late) throw new Error(`table of ${size}: no early and late …/:id routes`);
  const none = '/api/orders/unknown-resource/4711/lines';
  const requests = {
    early: { path: pathFor(early.match.path), request: request(pathFor(early.match.path)), expected: early.id },
    late: { path: pathFor(late.match.path), request: request(pathFor(late.match.path)), expected: late.id },
    none: { path: none, request: request(none), expected: undefined },
  };
  for (const [kind, { request: r, expected }] of Object.entries(requests)) {
    const got = rules.decide(r).route?.id;
    if (got !== expected) throw new Error(`table of ${size}, ${kind}: matched ${got}, expected ${expected}`);
  }
  return { size, rules, requests };
}

let sink = 0;

const OPERATIONS = ['decide', 'match'] as const;
type Operation = (typeof OPERATIONS)[number];

/** Nanoseconds per `decide()` (or `match()`, the route lookup alone) over `iterations` calls. */
function time(operation: Operation, rules: CompiledRuleSet, request: RoutingRequest, iterations: number): number {
  const start = performance.now();
  if (operation === 'decide') for (let i = 0; i < iterations; i++) sink += rules.decide(request).reason.length;
  else for (let i = 0; i < iterations; i++) sink += rules.match(request) ? 1 : 0;
  return ((performance.now() - start) * 1e6) / iterations;
}

export interface MatchingOptions {
  readonly sizes: readonly [number, number];
  readonly rounds: number;
  readonly iterations: number;
}

export function runMatchingBenchmark(options: MatchingOptions) {
  const [small, large] = options.sizes.map(table) as [Table, Table];
  const samples = new Map<string, number[]>();
  const key = (operation: Operation, size: number, kind: Kind) => `${operation}:${size}:${kind}`;
  // Warm-up: let the JIT settle on every operation, table and kind before measuring.
  for (const operation of OPERATIONS)
    for (const t of [small, large])
      for (const kind of KINDS) time(operation, t.rules, t.requests[kind].request, options.iterations);
  for (let r = 0; r < options.rounds; r++) {
    const order = r % 2 === 0 ? [small, large] : [large, small];
    for (const operation of OPERATIONS) {
      for (const kind of KINDS) {
        for (const t of order) {
          const ns = time(operation, t.rules, t.requests[kind].request, options.iterations);
          const k = key(operation, t.size, kind);
          samples.set(k, [...(samples.get(k) ?? []), ns]);
        }
      }
    }
  }
  const roundsOf = (operation: Operation, t: Table, kind: Kind) => samples.get(key(operation, t.size, kind)) ?? [];
  const figures = (t: Table) => {
    const perKind = Object.fromEntries(
      KINDS.map((kind) => [
        kind,
        {
          path: t.requests[kind].path,
          nsPerDecide: round(median(roundsOf('decide', t, kind)), 1),
          nsPerMatch: round(median(roundsOf('match', t, kind)), 1),
          decideRounds: roundsOf('decide', t, kind).map((ns) => round(ns, 1)),
        },
      ]),
    ) as Record<Kind, { path: string; nsPerDecide: number; nsPerMatch: number; decideRounds: number[] }>;
    const mean = KINDS.reduce((sum, kind) => sum + perKind[kind].nsPerDecide, 0) / KINDS.length;
    return { rules: t.size, meanNsPerDecide: round(mean, 1), ...perKind };
  };
  const smallFigures = figures(small);
  const largeFigures = figures(large);
  const ratios = {
    early: round(largeFigures.early.nsPerDecide / smallFigures.early.nsPerDecide, 3),
    late: round(largeFigures.late.nsPerDecide / smallFigures.late.nsPerDecide, 3),
    none: round(largeFigures.none.nsPerDecide / smallFigures.none.nsPerDecide, 3),
    mean: round(largeFigures.meanNsPerDecide / smallFigures.meanNsPerDecide, 3),
    // The route lookup alone (`match()`), without building the decision.
    matchEarly: round(largeFigures.early.nsPerMatch / smallFigures.early.nsPerMatch, 3),
    matchLate: round(largeFigures.late.nsPerMatch / smallFigures.late.nsPerMatch, 3),
    matchNone: round(largeFigures.none.nsPerMatch / smallFigures.none.nsPerMatch, 3),
  };
  const worst = Math.max(ratios.early, ratios.late, ratios.none);
  return {
    benchmark: 'facade-matching',
    settings: {
      ...options,
      statistic: 'median of rounds',
      measured: 'CompiledRuleSet.decide() (target), and match(), the route lookup alone',
    },
    small: smallFigures,
    large: largeFigures,
    ratios,
    target: {
      largeVsSmall: {
        ...MATCHING_TARGET.largeVsSmall,
        ratio: worst,
        met: worst <= MATCHING_TARGET.largeVsSmall.atMost,
      },
    },
    sink: sink % 10,
  };
}

function intFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

if (require.main === module) {
  const result = runMatchingBenchmark({
    sizes: [intFromEnv('BENCH_MATCHING_SMALL', 10), intFromEnv('BENCH_MATCHING_LARGE', 10_000)],
    rounds: intFromEnv('BENCH_MATCHING_ROUNDS', 7),
    iterations: intFromEnv('BENCH_MATCHING_ITERATIONS', 100_000),
  });
  const { small, large, ratios, target } = result;
  process.stderr.write(
    `decide(): ${small.rules} rules ${small.meanNsPerDecide} ns, ${large.rules} rules ${large.meanNsPerDecide} ns; ` +
      `ratios early ${ratios.early}, late ${ratios.late}, none ${ratios.none} (target ≤ ${target.largeVsSmall.atMost}: ${target.largeVsSmall.met ? 'met' : 'MISSED'}); ` +
      `match() alone: early ${ratios.matchEarly}, late ${ratios.matchLate}, none ${ratios.matchNone}\n`,
  );
  process.stdout.write(`${JSON.stringify({ ...describeMachine(), ...result })}\n`);
}
