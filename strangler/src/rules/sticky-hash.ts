import { createHash } from 'node:crypto';

/** Buckets of the canary split: 10,000, so that percentages have two decimals. */
export const BUCKETS = 10_000;

/**
 * The bucket (0 to 9,999) of a caller for a cohort: a SHA-256 of the cohort and the key,
 * so every instance agrees, and a caller keeps its bucket. A caller is in the canary when
 * its bucket is below `percent × 100`: raising the percentage only adds callers.
 */
export function stickyBucket(cohort: string, key: string): number {
  const digest = createHash('sha256').update(cohort).update('\0').update(key).digest();
  return digest.readUInt32BE(0) % BUCKETS;
}

export function inCanary(bucket: number, percent: number): boolean {
  return bucket < Math.round(percent * 100);
}
