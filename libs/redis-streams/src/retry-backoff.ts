/**
 * How long to wait before delivering a message again after its `deliveries`-th failed
 * delivery: `base × 2^(deliveries-1)`, capped at `max`, with ±20 % jitter so that a
 * burst of failures does not come back at once.
 */
export function retryDelay(deliveries: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exact = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(deliveries - 1, 30)));
  return Math.round(Math.min(maxMs, exact * (0.8 + 0.4 * random())));
}
