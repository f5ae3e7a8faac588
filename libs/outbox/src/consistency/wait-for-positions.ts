import type { Position } from '@app/contracts';
import type { Clock, ClockTimer } from '@app/redis-streams';
import type { PositionWatch } from './applied-positions';

/**
 * How often a waiting request reads the inbox again. Applies committed in this process wake it
 * at once; this is the fallback for applies committed by another instance of the service
 * (replicas share the consumer group and the database, not their commits).
 */
export const CONSISTENCY_RECHECK_MS = 250;

export interface PositionsWait {
  /** What is awaited, already listening for this process's applies. */
  readonly watch: PositionWatch;
  /** The consumer's applied sequence of each of `positions` that has a row, by `appliedKey` (one query). */
  readonly read: (positions: readonly Position[]) => Promise<ReadonlyMap<string, number>>;
  /** How long to wait at most; 0 reads once and does not wait. */
  readonly waitMs: number;
  readonly clock: Clock;
  readonly recheckMs?: number;
}

export interface WaitOutcome {
  /** Every position was applied within the time. */
  readonly applied: boolean;
  readonly waitedMs: number;
  /** How many times the inbox was read. */
  readonly reads: number;
}

/**
 * Waits until every position of `watch` is applied: reads them once, then waits for this
 * process's applies to wake it, reading again every `recheckMs` and at the deadline. Always
 * stops listening before it resolves.
 */
export async function waitForPositions(wait: PositionsWait): Promise<WaitOutcome> {
  const { watch, clock } = wait;
  const recheckMs = wait.recheckMs ?? CONSISTENCY_RECHECK_MS;
  const started = clock.now();
  const deadline = started + Math.max(0, wait.waitMs);
  let reads = 0;
  const check = async () => {
    reads += 1;
    for (const [key, sequence] of await wait.read(watch.remaining)) watch.applied(key, sequence);
  };
  try {
    await check();
    while (!watch.met) {
      const left = deadline - clock.now();
      if (left <= 0) break;
      let timer: ClockTimer | undefined;
      const elapsed = new Promise<void>((resolve) => (timer = clock.setTimer(Math.min(recheckMs, left), resolve)));
      await Promise.race([watch.done, elapsed]);
      timer?.cancel();
      if (!watch.met) await check();
    }
  } finally {
    watch.cancel();
  }
  return { applied: watch.met, waitedMs: clock.now() - started, reads };
}
