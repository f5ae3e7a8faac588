import type { GuardSettings } from '../rules';

const BUCKETS = 20;

/**
 * A route target's recent answers, over a sliding window of `windowMs` kept as 20 buckets:
 * how many, how many failed (5xx or no answer), and how many were slower than `maxP99Ms`.
 * The p99 passes `maxP99Ms` exactly when more than 1 % of the answers are slower, so no
 * latency histogram is needed.
 */
export class GuardWindow {
  private readonly width: number;
  private readonly counts = new Uint32Array(BUCKETS);
  private readonly failures = new Uint32Array(BUCKETS);
  private readonly slow = new Uint32Array(BUCKETS);
  private tick: number;
  private total = 0;
  private failed = 0;
  private slowTotal = 0;

  constructor(
    readonly settings: GuardSettings,
    now: number,
  ) {
    this.width = settings.windowMs / BUCKETS;
    this.tick = Math.floor(now / this.width);
  }

  record(latencyMs: number, failed: boolean, now: number): void {
    this.rotate(now);
    const index = this.tick % BUCKETS;
    this.counts[index]++;
    this.total++;
    if (failed) {
      this.failures[index]++;
      this.failed++;
    }
    if (this.settings.maxP99Ms !== undefined && latencyMs > this.settings.maxP99Ms) {
      this.slow[index]++;
      this.slowTotal++;
    }
  }

  /** Which limit the window is over, or undefined while it is within them (or holds too few answers). */
  breach(now: number): string | undefined {
    this.rotate(now);
    const { minRequests, maxErrorRate, maxP99Ms } = this.settings;
    if (this.total < minRequests) return undefined;
    if (maxErrorRate !== undefined && this.failed / this.total > maxErrorRate) {
      return `error rate ${(this.failed / this.total).toFixed(3)} is over ${maxErrorRate}`;
    }
    // Nearest-rank p99: the answer at rank ceil(0.99 n); it is slower than the limit when
    // more than n - ceil(0.99 n) answers are.
    if (maxP99Ms !== undefined && this.slowTotal > this.total - Math.ceil(0.99 * this.total)) {
      return `p99 latency is over ${maxP99Ms} ms`;
    }
    return undefined;
  }

  private rotate(now: number): void {
    const tick = Math.floor(now / this.width);
    if (tick <= this.tick) return;
    const steps = Math.min(tick - this.tick, BUCKETS);
    for (let step = 1; step <= steps; step++) {
      const index = (this.tick + step) % BUCKETS;
      this.total -= this.counts[index] as number;
      this.failed -= this.failures[index] as number;
      this.slowTotal -= this.slow[index] as number;
      this.counts[index] = 0;
      this.failures[index] = 0;
      this.slow[index] = 0;
    }
    this.tick = tick;
  }
}
