import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchConfig } from './config';
import { SIDES, type Side } from './facade-rules';
import type { ForkedWorker } from './forked-worker';
import type { LoadResult, Reply } from './protocol';
import { KINDS, type Kind } from './requests';
import type { ServiceProcess } from './services';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** One measured round of one side for one kind. */
export interface SideRound extends LoadResult {
  /** CPU time (user + system) per answered request of the service behind the facade, µs. */
  readonly serviceCpuUsPerRequest: number | undefined;
  /** The same for the facade's process. */
  readonly facadeCpuUsPerRequest: number | undefined;
}

export type HttpResults = Record<Kind, Record<Side, SideRound[]>>;

export interface HttpContext {
  readonly config: BenchConfig;
  readonly load: ForkedWorker;
  readonly facade: ForkedWorker;
  readonly facadeUrls: Record<Side, string>;
  readonly services: Record<Side, ServiceProcess>;
  readonly paths: Record<Kind, string[]>;
}

const perRequest = (before: number | undefined, after: number | undefined, responses: number) =>
  before === undefined || after === undefined || responses === 0 ? undefined : (after - before) / responses;

async function runRound(context: HttpContext, kind: Kind, side: Side, seconds: number): Promise<SideRound> {
  const service = context.services[side];
  const serviceBefore = service.cpuMicros();
  const facadeBefore = context.facade.cpuMicros();
  const reply = (await context.load.ask({
    type: 'run',
    baseUrl: context.facadeUrls[side],
    paths: context.paths[kind],
    connections: context.config.connections,
    seconds,
  })) as Extract<Reply, { type: 'result' }>;
  const { type: _type, ...result } = reply;
  return {
    ...result,
    serviceCpuUsPerRequest: perRequest(serviceBefore, service.cpuMicros(), result.responses),
    facadeCpuUsPerRequest: perRequest(facadeBefore, context.facade.cpuMicros(), result.responses),
  };
}

const describe = (r: SideRound) => {
  const trouble = r.errors + r.non2xx + r.timeouts;
  return (
    `${Math.round(r.requestsPerSecond)}/s p50 ${r.p50Ms.toFixed(2)} ms p99 ${r.p99Ms.toFixed(2)} ms` +
    (r.serviceCpuUsPerRequest === undefined ? '' : ` service cpu ${Math.round(r.serviceCpuUsPerRequest)} µs/req`) +
    (trouble > 0 ? ` (errors ${r.errors}, non-2xx ${r.non2xx}, timeouts ${r.timeouts})` : '')
  );
};

/**
 * The HTTP rounds: warm-up, then per round each kind on both sides back to back, the side
 * that goes first alternating from round to round so that drift on a shared machine hits
 * both alike. Only one side is under load at a time.
 */
export async function measureHttp(context: HttpContext): Promise<HttpResults> {
  const { config } = context;
  const results = Object.fromEntries(
    KINDS.map((kind) => [kind, { monolith: [], catalog: [] }]),
  ) as unknown as HttpResults;
  for (let r = 0; r < config.warmupRounds + config.rounds; r++) {
    const warmup = r < config.warmupRounds;
    const order = r % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const kind of config.kinds) {
      for (const side of order) {
        const round = await runRound(context, kind, side, warmup ? config.warmupSeconds : config.roundSeconds);
        if (!warmup) results[kind][side].push(round);
        const label = warmup ? 'warm-up' : `round ${r - config.warmupRounds + 1}`;
        log(`${label} ${kind.padEnd(6)} ${side.padEnd(8)} ${describe(round)}`);
        await sleep(300);
      }
    }
  }
  return results;
}
