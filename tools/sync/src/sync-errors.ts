/** Stable codes of `npm run sync:verify`'s own failures (exit status 2); each is in the README's table. */
export const SYNC_ERROR_CODES = [
  'SYNC_OPTIONS_INVALID',
  'SYNC_CONFIG_INVALID',
  'SYNC_DATABASE_MISSING',
  'SYNC_DATABASE_UNREACHABLE',
  'SYNC_SCHEMA_MISSING',
  'SYNC_READ_FAILED',
  'SYNC_REDIS_UNREACHABLE',
] as const;

export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

/** A failure of the check itself, explained in one message; no stack trace needed. */
export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

/** Exit statuses: the sides are equal, they differ, or the check could not be made. */
export const EXIT_EQUAL = 0;
export const EXIT_DIFFERENT = 1;
export const EXIT_FAILED = 2;
