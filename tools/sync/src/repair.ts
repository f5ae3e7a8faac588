import { SyncError } from './sync-errors';

/*
 * ─── --repair: RESERVED ──────────────────────────────────────────────────────────────────────
 * Not implemented. A resend mechanism is being built in libs/outbox; once it exists, repair
 * goes here and runs after a check that found differences (the place is marked `REPAIR` in
 * run-sync-verify.ts; today `--repair` stops there, before anything is read). Each `Difference` already says what a resend must cover:
 * `missingEvents` lists, per side, the origin and the sequences (`from`..`to`) that the side
 * has not applied although another side has; the origin's outbox would publish them again and
 * the side's inbox skip what it already has. A difference with equal vectors has no event to
 * resend (a write outside the events) and needs a snapshot instead. After a repair, check
 * again (as `--wait` does) and report that check.
 * ──────────────────────────────────────────────────────────────────────────────────────────────
 */

/** `--repair`: not available yet; always throws `SYNC_REPAIR_NOT_AVAILABLE` before anything is read. */
export function refuseRepair(): never {
  throw new SyncError(
    'SYNC_REPAIR_NOT_AVAILABLE',
    '--repair is not available yet: it will resend the missing events once libs/outbox can resend. ' +
      'Run without --repair to see the differences.',
  );
}
