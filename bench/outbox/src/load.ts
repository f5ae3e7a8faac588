import { setImmediate as nextTurn } from 'node:timers/promises';
import { monotonicMs } from './clock';
import type { Commit } from './ways';

/** The commits of one run, by order id. */
export class CommitLog {
  private readonly byOrder = new Map<string, number>();
  firstMs = Number.POSITIVE_INFINITY;
  lastMs = Number.NEGATIVE_INFINITY;

  /** `startMs`: when the run started its first transaction. */
  constructor(readonly startMs: number) {}

  record(commit: Commit): void {
    this.byOrder.set(commit.orderId, commit.commitMs);
    if (commit.commitMs < this.firstMs) this.firstMs = commit.commitMs;
    if (commit.commitMs > this.lastMs) this.lastMs = commit.commitMs;
  }

  commitOf(orderId: string): number | undefined {
    return this.byOrder.get(orderId);
  }

  get size(): number {
    return this.byOrder.size;
  }
}

/**
 * Open-loop load: starts order `n` at `start + n / rate` whether or not earlier ones have
 * finished (at most `maxInFlight` at once), until `total` orders were placed. Resolves once
 * every one has committed (and, for the direct way, been emitted).
 */
export function placePaced(
  total: number,
  rate: number,
  maxInFlight: number,
  place: (n: number) => Promise<Commit>,
): Promise<CommitLog> {
  return new Promise((resolve, reject) => {
    const log = new CommitLog(monotonicMs());
    const intervalMs = 1_000 / rate;
    const dueMs = (n: number) => log.startMs + n * intervalMs;
    let started = 0;
    let inFlight = 0;
    let failed = false;
    const onPlaced = (commit: Commit): void => {
      inFlight--;
      log.record(commit);
      if (log.size === total) resolve(log);
    };
    const onFailed = (error: unknown): void => {
      failed = true;
      reject(error as Error);
    };
    const tick = (): void => {
      if (failed) return;
      const now = monotonicMs();
      while (started < total && inFlight < maxInFlight && dueMs(started) <= now) {
        inFlight++;
        place(started++).then(onPlaced, onFailed);
      }
      // Timers fire no sooner than 1 ms: an order is started at most about 1 ms late.
      if (started < total) setTimeout(tick, Math.max(0, dueMs(started) - monotonicMs()));
    };
    tick();
  });
}

/** Closed-loop load: `concurrency` producers, each placing its next order once its last one is done. */
export async function placeConcurrently(
  total: number,
  concurrency: number,
  place: (n: number) => Promise<Commit>,
): Promise<CommitLog> {
  const log = new CommitLog(monotonicMs());
  let next = 0;
  const producer = async (): Promise<void> => {
    while (next < total) {
      log.record(await place(next++));
      await nextTurn();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, producer));
  return log;
}
