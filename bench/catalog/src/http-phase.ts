import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Awaits, awaitsBetween, readAwaits } from './await-metrics';
import type { BenchConfig } from './config';
import { type Plane, SIDES, type Side, VARIANTS, VARIANT_PLANE, type Variant } from './facade-rules';
import type { ForkedWorker } from './forked-worker';
import { machineBusy, machineCpu } from './machine-cpu';
import { type AdminConnection, redisCpuMicros } from './redis';
import type { LoadResult, Reply } from './protocol';
import { CONSISTENCY_KINDS, type ConsistencyKind, KINDS, type Kind } from './requests';
import type { ServiceProcess } from './services';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** One measured round of one facade plane for one kind. */
export interface SideRound extends LoadResult {
  /** CPU time (user + system) per answered request of the service behind the facade, µs. */
  readonly serviceCpuUsPerRequest: number | undefined;
  /** The same for the facade's process. */
  readonly facadeCpuUsPerRequest: number | undefined;
  /** The same for the Redis server (which may serve others too: their commands count as well). */
  readonly redisCpuUsPerRequest: number | undefined;
  /**
   * The whole machine during the round (all cores, `/proc/stat`): its busy share, and the share
   * busy with anything but the service, the facade and the load generator (Redis included).
   */
  readonly machine: { readonly busy: number; readonly others: number } | undefined;
}

/** A round of a consistency variant: also what the catalog did with `x-ficus-await` meanwhile. */
export interface VariantRound extends SideRound {
  readonly awaits: Awaits | undefined;
}

export type HttpResults = Record<Kind, Record<Side, SideRound[]>>;
export type ConsistencyResults = Record<ConsistencyKind, Record<Variant, VariantRound[]>>;

export interface HttpContext {
  readonly config: BenchConfig;
  readonly load: ForkedWorker;
  readonly facade: ForkedWorker;
  readonly facadeUrls: Record<Plane, string>;
  readonly services: Record<Side, ServiceProcess>;
  readonly paths: Record<Kind, string[]>;
  /** The coordinator's connection, for the Redis server's CPU time. */
  readonly redis: AdminConnection;
}

const perRequest = (before: number | undefined, after: number | undefined, responses: number) =>
  before === undefined || after === undefined || responses === 0 ? undefined : (after - before) / responses;

async function runRound(
  context: HttpContext,
  kind: Kind,
  plane: Plane,
  service: ServiceProcess,
  seconds: number,
): Promise<SideRound> {
  const cpu = () => ({
    service: service.cpuMicros(),
    facade: context.facade.cpuMicros(),
    load: context.load.cpuMicros(),
    machine: machineCpu(),
    at: performance.now(),
  });
  const redisBefore = await redisCpuMicros(context.redis);
  const before = cpu();
  const reply = (await context.load.ask({
    type: 'run',
    baseUrl: context.facadeUrls[plane],
    paths: context.paths[kind],
    connections: context.config.connections,
    seconds,
  })) as Extract<Reply, { type: 'result' }>;
  const after = cpu();
  const redisAfter = await redisCpuMicros(context.redis);
  const { type: _type, ...result } = reply;
  const busy = machineBusy(before.machine, after.machine);
  const ours = (['service', 'facade', 'load'] as const).reduce(
    (sum, name) => sum + ((after[name] ?? Number.NaN) - (before[name] ?? Number.NaN)),
    0,
  );
  const coreMicros = (after.at - before.at) * 1_000 * cpus().length;
  return {
    ...result,
    serviceCpuUsPerRequest: perRequest(before.service, after.service, result.responses),
    facadeCpuUsPerRequest: perRequest(before.facade, after.facade, result.responses),
    redisCpuUsPerRequest: perRequest(redisBefore, redisAfter, result.responses),
    machine:
      busy && Number.isFinite(ours)
        ? { busy: busy.busy, others: Math.max(0, busy.busy - ours / coreMicros) }
        : undefined,
  };
}

/** A consistency variant's round, with the catalog's counts of awaited requests read around it. */
async function runVariantRound(
  context: HttpContext,
  kind: ConsistencyKind,
  variant: Variant,
  seconds: number,
): Promise<VariantRound> {
  const catalog = context.services.catalog;
  const before = await readAwaits(catalog);
  const round = await runRound(context, kind, VARIANT_PLANE[variant], catalog, seconds);
  return { ...round, awaits: awaitsBetween(before, await readAwaits(catalog)) };
}

// A percentile of no answers is NaN, which arrives over IPC as null.
const fixed = (value: number | null) => (value === null || !Number.isFinite(value) ? '-' : value.toFixed(2));

const describe = (r: SideRound | VariantRound) => {
  const trouble = r.errors + r.non2xx + r.timeouts;
  const awaits = 'awaits' in r && r.awaits ? ` awaited ${r.awaits.awaited} (stale ${r.awaits.stale})` : '';
  return (
    `${Math.round(r.requestsPerSecond)}/s p50 ${fixed(r.p50Ms)} ms p99 ${fixed(r.p99Ms)} ms` +
    (r.serviceCpuUsPerRequest === undefined ? '' : ` service cpu ${Math.round(r.serviceCpuUsPerRequest)} µs/req`) +
    (r.facadeCpuUsPerRequest === undefined ? '' : ` facade ${Math.round(r.facadeCpuUsPerRequest)} µs/req`) +
    (r.redisCpuUsPerRequest === undefined ? '' : ` redis ${Math.round(r.redisCpuUsPerRequest)} µs/req`) +
    (r.machine
      ? ` machine ${Math.round(r.machine.busy * 100)} % (others ${Math.round(r.machine.others * 100)} %)`
      : '') +
    awaits +
    (trouble > 0 ? ` (errors ${r.errors}, non-2xx ${r.non2xx}, timeouts ${r.timeouts})` : '')
  );
};

/** The order of a pair in round `r`: the one that goes first alternates from round to round. */
const inOrder = <T>(pair: readonly T[], r: number): readonly T[] => (r % 2 === 0 ? pair : [...pair].reverse());

/**
 * The HTTP rounds: warm-up, then per round each kind on both sides back to back (`sides`),
 * and the byId and search kinds on both consistency variants back to back (`consistency`),
 * the one that goes first alternating from round to round so that drift on a shared machine
 * hits both alike. Only one facade plane is under load at a time.
 */
export async function measureHttp(
  context: HttpContext,
): Promise<{ http: HttpResults; consistency: ConsistencyResults }> {
  const { config } = context;
  const http = Object.fromEntries(KINDS.map((kind) => [kind, { monolith: [], catalog: [] }])) as unknown as HttpResults;
  const consistency = Object.fromEntries(
    CONSISTENCY_KINDS.map((kind) => [kind, { off: [], on: [] }]),
  ) as unknown as ConsistencyResults;
  const sides = config.comparisons.includes('sides');
  const variants = config.comparisons.includes('consistency');
  for (let r = 0; r < config.warmupRounds + config.rounds; r++) {
    const warmup = r < config.warmupRounds;
    const seconds = warmup ? config.warmupSeconds : config.roundSeconds;
    const label = warmup ? 'warm-up' : `round ${r - config.warmupRounds + 1}`;
    for (const kind of config.kinds) {
      for (const side of sides ? inOrder(SIDES, r) : []) {
        const round = await runRound(context, kind, side, context.services[side], seconds);
        if (!warmup) http[kind][side].push(round);
        log(`${label} ${kind.padEnd(6)} ${side.padEnd(14)} ${describe(round)}`);
        await sleep(300);
      }
      const consistencyKind = CONSISTENCY_KINDS.find((k) => k === kind);
      if (!variants || consistencyKind === undefined) continue;
      for (const variant of inOrder(VARIANTS, r)) {
        const round = await runVariantRound(context, consistencyKind, variant, seconds);
        if (!warmup) consistency[consistencyKind][variant].push(round);
        log(`${label} ${kind.padEnd(6)} ${`consistency ${variant}`.padEnd(14)} ${describe(round)}`);
        await sleep(300);
      }
    }
  }
  return { http, consistency };
}
