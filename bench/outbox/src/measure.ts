import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchApp } from './bench-app';
import type { BenchConfig } from './config';
import type { AdminConnection } from './redis';
import { type CommitLog, placeConcurrently, placePaced } from './load';
import type { Arrivals } from './protocol';
import type { ReaderProcess } from './reader-process';
import type { PublishedBatch } from './timed-streams-client';
import type { Way } from './ways';
import { LatencyRecorder } from '../../common/src/stats';

/** Where the outbox's commit-to-stream time goes (from the relay's Redis client, see `TimedStreamsClient`). */
export interface RelayBreakdown {
  readonly batches: number;
  readonly meanBatchSize: number;
  /** Commit → the relay hands the event's batch to Redis: waking, its transaction, lock and SELECT. */
  readonly pickupP50Ms: number;
  readonly pickupP99Ms: number;
  /** The batch's XADDs, until Redis had stored all of them. */
  readonly publishP50Ms: number;
  readonly publishP99Ms: number;
}

export interface PacedResult {
  /** Commits per second achieved (the pacer aims at the configured rate). */
  readonly rate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly relay?: RelayBreakdown;
}

export interface ThroughputResult {
  /** Events from the first commit to the last event on the stream, per second. */
  readonly eventsPerSec: number;
  /** Transactions committed per second (first start to last commit). */
  readonly commitsPerSec: number;
  /** How long after the last commit the last event reached the stream. */
  readonly drainMs: number;
  readonly relay?: RelayBreakdown;
}

/** What a run works with. */
export interface RunContext {
  readonly app: BenchApp;
  readonly reader: ReaderProcess;
  readonly redis: AdminConnection;
  readonly config: BenchConfig;
}

let streams = 0;

function summarizeBatches(batches: readonly PublishedBatch[], commits: CommitLog): RelayBreakdown | undefined {
  if (batches.length === 0) return undefined;
  const pickup = new LatencyRecorder();
  const publish = new LatencyRecorder();
  let events = 0;
  for (const batch of batches) {
    for (const orderId of batch.orderIds) {
      const commitMs = commits.commitOf(orderId);
      if (commitMs === undefined) continue;
      events++;
      pickup.record(batch.startMs - commitMs);
      publish.record(batch.endMs - batch.startMs);
    }
  }
  const p = pickup.summary();
  const q = publish.summary();
  return {
    batches: batches.length,
    meanBatchSize: events / batches.length,
    pickupP50Ms: p.p50,
    pickupP99Ms: p.p99,
    publishP50Ms: q.p50,
    publishP99Ms: q.p99,
  };
}

/**
 * One run of one way: the reader starts reading a stream of the run's own, the orders are
 * placed, and each event's commit-to-stream latency is its arrival at the reader minus the
 * time its transaction had committed. Fails when events are missing.
 */
async function run(
  { app, reader, redis, config }: RunContext,
  way: Way,
  total: number,
  place: (placeOne: (n: number) => ReturnType<Way['placeOrder']>) => Promise<CommitLog>,
): Promise<{
  commits: CommitLog;
  arrivals: Arrivals;
  latencies: LatencyRecorder;
  maxMs: number;
  relay?: RelayBreakdown;
}> {
  const pattern = `bench.order-placed.${++streams}`;
  const key = `${config.prefix}evt:${pattern}`;
  app.relayClient.takeBatches();
  const arriving = reader.read({ key, count: total, timeoutMs: config.runTimeoutMs });
  // Awaited below; a reader that fails meanwhile must not end the process before the clean-up.
  arriving.catch(() => undefined);
  const commits = await place((n) => way.placeOrder(n, pattern));
  const arrivals = await arriving;
  if (arrivals.orderIds.length !== total) {
    throw new Error(
      `${way.name}: ${arrivals.orderIds.length} of ${total} events reached ${key} within ${config.runTimeoutMs} ms`,
    );
  }
  const latencies = new LatencyRecorder(total);
  let maxMs = Number.NEGATIVE_INFINITY;
  arrivals.orderIds.forEach((orderId, i) => {
    const commitMs = commits.commitOf(orderId);
    if (commitMs === undefined)
      throw new Error(`${way.name}: an event of an unknown order (${orderId}) reached ${key}`);
    const latencyMs = (arrivals.atMs[i] as number) - commitMs;
    latencies.record(latencyMs);
    maxMs = Math.max(maxMs, latencyMs);
  });
  const relay = way.name === 'outbox' ? summarizeBatches(app.relayClient.takeBatches(), commits) : undefined;
  await redis.del(key);
  // Lets the relay finish its last transaction and the database settle before the next run.
  await sleep(200);
  return { commits, arrivals, latencies, maxMs, relay };
}

/** The paced run: `pacedRate` orders per second for `pacedSeconds`. */
export async function measurePaced(context: RunContext, way: Way): Promise<PacedResult> {
  const { config } = context;
  const total = config.pacedRate * config.pacedSeconds;
  const { commits, latencies, maxMs, relay } = await run(context, way, total, (placeOne) =>
    placePaced(total, config.pacedRate, config.pacedMaxInFlight, placeOne),
  );
  const { p50, p99 } = latencies.summary();
  return {
    rate: (total / (commits.lastMs - commits.startMs)) * 1_000,
    p50Ms: p50,
    p99Ms: p99,
    maxMs,
    ...(relay ? { relay } : {}),
  };
}

/** The throughput run: `total` orders from `concurrency` producers, as fast as they go. */
export async function measureThroughput(context: RunContext, way: Way, total: number): Promise<ThroughputResult> {
  const { commits, arrivals, relay } = await run(context, way, total, (placeOne) =>
    placeConcurrently(total, context.config.concurrency, placeOne),
  );
  const lastArrivalMs = arrivals.atMs.reduce((latest, atMs) => Math.max(latest, atMs), Number.NEGATIVE_INFINITY);
  return {
    eventsPerSec: (total / (lastArrivalMs - commits.firstMs)) * 1_000,
    commitsPerSec: (total / (commits.lastMs - commits.startMs)) * 1_000,
    drainMs: lastArrivalMs - commits.lastMs,
    ...(relay ? { relay } : {}),
  };
}
