/**
 * The wait before retry `failures` (1, 2, …): `baseMs` doubled per failure up to `maxMs`,
 * ±20 % so that instances that failed together do not retry together, never outside
 * `[baseMs, maxMs]`.
 */
export function retryDelay(failures: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  const jittered = exponential * (0.8 + random() * 0.4);
  return Math.round(Math.min(maxMs, Math.max(baseMs, jittered)));
}
