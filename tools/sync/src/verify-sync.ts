import { setTimeout as sleep } from 'node:timers/promises';
import type { AggregateKind } from './kinds';
import type { SideLocation } from './side-locations';
import { SyncCheck } from './sync-check';
import type { SyncReport } from './sync-report';

/** How long `--wait` leaves between two checks. */
export const RECHECK_INTERVAL_MS = 250;

export interface VerifyOptions {
  readonly kinds: readonly AggregateKind[];
  /** Check again until equal or this much time has passed since the start; 0: check once. */
  readonly waitMs: number;
  readonly intervalMs?: number;
  /** Told of each check that found differences and will be followed by another. */
  readonly onRetry?: (report: SyncReport, remainingMs: number) => void;
}

/**
 * Compares every aggregate of `options.kinds` on every side that holds it, reading each
 * process's database where `locations` says; with a wait, checks again until the sides are
 * equal or the time is up, and returns the last check. Throws a `SyncError` when a database
 * cannot be opened or read.
 */
export async function verifySync(
  options: VerifyOptions,
  locations: ReadonlyMap<string, SideLocation>,
): Promise<SyncReport> {
  const startedAt = Date.now();
  const deadline = startedAt + options.waitMs;
  const interval = options.intervalMs ?? RECHECK_INTERVAL_MS;
  const check = await SyncCheck.open(options.kinds, locations);
  try {
    for (let checks = 1; ; checks += 1) {
      const kinds = await check.run();
      const report: SyncReport = {
        equal: kinds.every((kind) => kind.differences.length === 0),
        kinds,
        checks,
        elapsedMs: Date.now() - startedAt,
      };
      const remainingMs = deadline - Date.now();
      if (report.equal || remainingMs <= 0) return report;
      options.onRetry?.(report, remainingMs);
      await sleep(Math.min(interval, remainingMs));
    }
  } finally {
    await check.close();
  }
}
