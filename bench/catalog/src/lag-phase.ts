import Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchConfig } from './config';
import { machineBusy, machineCpu } from './machine-cpu';
import { type Histogram, countAbove, histogramDelta, parseGauge, parseHistogram } from './prometheus';
import type { ServiceProcess } from './services';
import type { SentEvent, StockFeeder } from './stock-feeder';
import { LatencyRecorder } from '../../common/src/stats';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The catalog's lag histogram (seconds, from `occurredAt` to the commit that applied the event). */
export const LAG_HISTOGRAM = 'catalog_projection_lag_seconds';
/** prom-client's default metrics of the catalog's process. */
const GC_HISTOGRAM = 'nodejs_gc_duration_seconds';
/** Reset at every scrape: the longest event-loop delay since the previous one. */
const EVENT_LOOP_MAX = 'nodejs_eventloop_lag_max_seconds';
/** The catalog's inbox consumer name (its origin). */
const INBOX_CONSUMER = 'catalog';
/** How long after the last event is sent the catalog may take to apply them all. */
const DRAIN_TIMEOUT_MS = 60_000;
/** A lag past this counts towards a stall. */
const SLOW_MS = 100;

/** What one read of the catalog's `/metrics` gave. */
interface MetricsRead {
  readonly lag: Histogram;
  readonly gc: Histogram;
  readonly eventLoopMaxS: number;
}

/** Lags from the catalog's inbox, per event. */
export interface InboxLags {
  readonly applied: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Events that waited more than 100 ms, and when (ms after the round's first event) the first and last of them occurred. */
  readonly slow: { readonly count: number; readonly fromMs: number | null; readonly toMs: number | null };
}

export interface LagRound {
  readonly published: number;
  /** Events per second the feeder achieved. */
  readonly rate: number;
  readonly feederMaxBehindMs: number;
  /** Of the catalog's histogram: what this round's events added. */
  readonly histogram: Histogram;
  /** From the catalog's inbox: per event, `processed_at` − `occurredAt` (ms), when it recorded the event. */
  readonly inbox: InboxLags;
  /** From the last event sent until the catalog had applied every event of the round. */
  readonly drainMs: number;
  /** The catalog's process during the round: CPU share of one core, longest event-loop delay, garbage collection. */
  readonly catalog: {
    readonly cpuShare: number | undefined;
    readonly eventLoopMaxMs: number;
    readonly gcMs: number;
    readonly gcPausesOver100Ms: number;
  };
  /** The whole machine during the round (all cores): busy and stolen shares. */
  readonly machine: { readonly busy: number; readonly steal: number } | undefined;
}

async function readMetrics(catalog: ServiceProcess): Promise<MetricsRead> {
  const response = await fetch(`${catalog.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (response.status !== 200) throw catalog.failure(`answered /metrics with ${response.status}`);
  const text = await response.text();
  return {
    lag: parseHistogram(text, LAG_HISTOGRAM),
    gc: parseHistogram(text, GC_HISTOGRAM),
    eventLoopMaxS: parseGauge(text, EVENT_LOOP_MAX),
  };
}

/**
 * Reads the metrics until the histogram has counted `count` more observations than `before`;
 * returns every read (each one's event-loop maximum covers the time since the previous read).
 */
async function drained(catalog: ServiceProcess, before: MetricsRead, count: number): Promise<MetricsRead[]> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  const reads: MetricsRead[] = [];
  for (;;) {
    const now = await readMetrics(catalog);
    reads.push(now);
    if (now.lag.count - before.lag.count >= count) return reads;
    if (Date.now() > deadline) {
      throw catalog.failure(
        `applied ${now.lag.count - before.lag.count} of ${count} stock events within ${DRAIN_TIMEOUT_MS / 1000} s`,
      );
    }
    await sleep(50);
  }
}

/** Per event: when the catalog's inbox recorded it (in the transaction that applied it) − when it occurred. */
function inboxLags(databaseFile: string, events: readonly SentEvent[]): InboxLags {
  const database = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const rows = database
      .prepare('SELECT message_id AS id, processed_at AS at FROM inbox_messages WHERE consumer = ?')
      .all(INBOX_CONSUMER) as { id: string; at: string }[];
    const processed = new Map(rows.map((row) => [row.id, Date.parse(row.at)]));
    const lags = new LatencyRecorder(events.length);
    const start = events[0]?.occurredAtMs ?? 0;
    let max = 0;
    const slow = { count: 0, fromMs: null as number | null, toMs: null as number | null };
    for (const event of events) {
      const at = processed.get(event.id);
      if (at === undefined) continue;
      const lag = Math.max(0, at - event.occurredAtMs);
      lags.record(lag);
      max = Math.max(max, lag);
      if (lag > SLOW_MS) {
        slow.count++;
        slow.fromMs ??= event.occurredAtMs - start;
        slow.toMs = event.occurredAtMs - start;
      }
    }
    const { p50, p99 } = lags.summary();
    return { applied: lags.size, p50Ms: p50, p99Ms: p99, maxMs: max, slow };
  } finally {
    database.close();
  }
}

/** One round: publish at the rate, wait until every event is applied, read both measures. */
async function lagRound(
  config: BenchConfig,
  catalog: ServiceProcess,
  catalogDatabase: string,
  feeder: StockFeeder,
): Promise<LagRound> {
  const before = await readMetrics(catalog);
  const cpuBefore = catalog.cpuMicros();
  const machineBefore = machineCpu();
  const started = Date.now();
  const run = await feeder.publishPaced(config.lagRate, config.lagSeconds);
  const sentAll = Date.now();
  const reads = await drained(catalog, before, run.events.length);
  const drainMs = Date.now() - sentAll;
  const cpuAfter = catalog.cpuMicros();
  const machine = machineBusy(machineBefore, machineCpu());
  const after = reads.at(-1) as MetricsRead;
  const gc = histogramDelta(after.gc, before.gc);
  return {
    published: run.events.length,
    rate: run.rate,
    feederMaxBehindMs: run.maxBehindMs,
    histogram: histogramDelta(after.lag, before.lag),
    inbox: inboxLags(catalogDatabase, run.events),
    drainMs,
    catalog: {
      cpuShare:
        cpuBefore === undefined || cpuAfter === undefined
          ? undefined
          : (cpuAfter - cpuBefore) / 1000 / (Date.now() - started),
      eventLoopMaxMs: Math.max(...reads.map((read) => read.eventLoopMaxS)) * 1000,
      gcMs: gc.sum * 1000,
      gcPausesOver100Ms: countAbove(gc, 0.1),
    },
    machine,
  };
}

/**
 * The projection-lag rounds: the feeder publishes stock events at `lagRate` per second for
 * `lagSeconds`; the lag of each is read two ways: from the catalog's histogram (read before
 * and after the round, the difference is the round's events) and from its inbox.
 */
export async function measureLag(
  config: BenchConfig,
  catalog: ServiceProcess,
  catalogDatabase: string,
  feeder: StockFeeder,
): Promise<LagRound[]> {
  if (config.lagWarmupSeconds > 0) {
    const before = await readMetrics(catalog);
    const warmup = await feeder.publishPaced(config.lagRate, config.lagWarmupSeconds);
    await drained(catalog, before, warmup.events.length);
    log(`lag warm-up: ${warmup.events.length} events at ${Math.round(warmup.rate)}/s`);
  }
  const rounds: LagRound[] = [];
  for (let r = 0; r < config.lagRounds; r++) {
    const round = await lagRound(config, catalog, catalogDatabase, feeder);
    rounds.push(round);
    const { inbox, catalog: process, machine } = round;
    log(
      `lag round ${r + 1}: ${round.published} events at ${Math.round(round.rate)}/s; inbox p50 ${inbox.p50Ms} ms, ` +
        `p99 ${inbox.p99Ms} ms, max ${inbox.maxMs} ms` +
        (inbox.slow.count > 0
          ? `, ${inbox.slow.count} over ${SLOW_MS} ms (occurred ${inbox.slow.fromMs}–${inbox.slow.toMs} ms into the round)`
          : '') +
        `; catalog CPU ${Math.round((process.cpuShare ?? Number.NaN) * 100)} % of a core, event loop max ` +
        `${Math.round(process.eventLoopMaxMs)} ms, GC ${Math.round(process.gcMs)} ms; machine busy ` +
        `${Math.round((machine?.busy ?? Number.NaN) * 100)} %, steal ${Math.round((machine?.steal ?? Number.NaN) * 100)} %`,
    );
    await sleep(500);
  }
  return rounds;
}
