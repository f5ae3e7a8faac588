import type { CircuitBreakerSettings } from '../rules';

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * What an upstream call ended with, for the breaker: `ok` (an answer below 500), `error`
 * (a 5xx answer: counts towards the error rate only) or `failure` (no answer: the
 * connection failed or broke, or the call timed out; counts towards both thresholds).
 */
export type CallOutcome = 'ok' | 'error' | 'failure';

/** Whether a call may go: `pass`, `probe` (the one call of a half-open breaker) or `reject`. */
export type Admission = 'pass' | 'probe' | 'reject';

/**
 * One upstream's circuit breaker. Closed, it opens after `consecutiveFailures` failures in
 * a row, or when at least `errorRate` of the last `windowSize` calls failed or answered 5xx
 * (judged once the window is full). Open, it rejects calls for `openMs`; then it lets one
 * probe through (half-open) and closes when the probe is answered below 500, or opens again.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private since: number;
  private consecutive = 0;
  private outcomes: Uint8Array;
  private filled = 0;
  private next = 0;
  private failed = 0;
  private probing = false;

  constructor(
    private settings: CircuitBreakerSettings,
    now: number,
    private readonly onChange: (state: CircuitState, reason: string) => void,
  ) {
    this.since = now;
    this.outcomes = new Uint8Array(settings.windowSize);
  }

  get state(): CircuitState {
    return this.current;
  }

  /** When the breaker entered its state (ms since the epoch, from the caller's clock). */
  get changedAt(): number {
    return this.since;
  }

  /** New settings from newer rules; the state is kept, the error-rate window restarts if its size changed. */
  configure(settings: CircuitBreakerSettings): void {
    if (settings.windowSize !== this.settings.windowSize) this.outcomes = new Uint8Array(settings.windowSize);
    this.settings = settings;
    this.resetCounts();
  }

  admit(now: number): Admission {
    if (this.current === 'closed') return 'pass';
    if (this.current === 'open') {
      if (now - this.since < this.settings.openMs) return 'reject';
      this.enter('half-open', now, `${this.settings.openMs} ms passed; one probe goes through`);
    }
    if (this.probing) return 'reject';
    this.probing = true;
    return 'probe';
  }

  /** The probe was abandoned without an outcome (the client went away): another may go. */
  releaseProbe(): void {
    this.probing = false;
  }

  record(outcome: CallOutcome, probe: boolean, now: number): void {
    if (probe) {
      this.probing = false;
      if (outcome === 'ok') this.enter('closed', now, 'the probe succeeded');
      else this.enter('open', now, `the probe ${outcome === 'error' ? 'was answered 5xx' : 'failed'}`);
      return;
    }
    // Calls that were under way when the breaker opened tell nothing new.
    if (this.current !== 'closed') return;
    const { consecutiveFailures, errorRate, windowSize } = this.settings;
    if (outcome === 'failure') this.consecutive++;
    else this.consecutive = 0;
    const bad = outcome === 'ok' ? 0 : 1;
    if (this.filled === windowSize) this.failed -= this.outcomes[this.next] as number;
    else this.filled++;
    this.outcomes[this.next] = bad;
    this.failed += bad;
    this.next = (this.next + 1) % windowSize;
    if (this.consecutive >= consecutiveFailures) {
      this.enter('open', now, `${this.consecutive} failures in a row`);
    } else if (this.filled === windowSize && this.failed / windowSize >= errorRate) {
      this.enter('open', now, `${this.failed} of the last ${windowSize} calls failed`);
    }
  }

  private enter(state: CircuitState, now: number, reason: string): void {
    this.current = state;
    this.since = now;
    if (state !== 'half-open') this.probing = false;
    this.resetCounts();
    this.onChange(state, reason);
  }

  private resetCounts(): void {
    this.consecutive = 0;
    this.filled = 0;
    this.next = 0;
    this.failed = 0;
    this.outcomes.fill(0);
  }
}
