/**
 * Milliseconds (µs precision) on the system's monotonic clock (`CLOCK_MONOTONIC`, which
 * `process.hrtime` reads): the same clock in every process of the machine, so a time taken in
 * the producer and one taken in the reader's process can be subtracted.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1_000n) / 1_000;
}
