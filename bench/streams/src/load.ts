import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from '../../common/src/stats';

/**
 * Sends `count` messages keeping `window` of them outstanding, so that the producer waits on
 * Redis only when that many are unanswered. Resolves once every send was confirmed.
 */
export function produceWindowed(count: number, window: number, send: () => Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    let started = 0;
    let confirmed = 0;
    let failed = false;
    const next = (): void => {
      while (!failed && started < count && started - confirmed < window) {
        started++;
        send().then(onConfirmed, onFailed);
      }
    };
    const onConfirmed = (): void => {
      confirmed++;
      if (confirmed === count) resolve();
      else next();
    };
    const onFailed = (error: unknown): void => {
      failed = true;
      reject(error as Error);
    };
    next();
  });
}

/**
 * `callers` concurrent loops, each awaiting its call before the next, until `count` calls
 * were answered. Records each call's latency; resolves with the wall time of the round.
 */
export async function callConcurrently(
  count: number,
  callers: number,
  call: () => Promise<unknown>,
  latencies: LatencyRecorder,
): Promise<number> {
  let issued = 0;
  const caller = async (): Promise<void> => {
    while (issued < count) {
      issued++;
      const start = performance.now();
      await call();
      latencies.record(performance.now() - start);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: callers }, caller));
  return performance.now() - start;
}

/** Counts handled messages; `until(n)` resolves once the count reaches `n`. */
export class Sink {
  private handled = 0;
  private target = Number.POSITIVE_INFINITY;
  private reached?: () => void;

  /** Resets the count; the returned promise resolves once `target` messages were handled. */
  until(target: number): Promise<void> {
    this.handled = 0;
    this.target = target;
    return new Promise((resolve) => {
      this.reached = resolve;
    });
  }

  hit(count = 1): void {
    this.handled += count;
    if (this.handled >= this.target) {
      this.target = Number.POSITIVE_INFINITY;
      this.reached?.();
    }
  }
}

/** Times one events round: starts the producer and waits until the consumer side finished. */
export async function timeEventsRound(
  produce: () => Promise<void>,
  finished: Promise<void>,
  settle: () => Promise<void> = async () => undefined,
): Promise<number> {
  const start = performance.now();
  await Promise.all([produce(), finished]);
  await settle();
  return performance.now() - start;
}
