/** A timer set on a {@link Clock}; `cancel()` stops it if it has not fired yet. */
export interface ClockTimer {
  cancel(): void;
}

/**
 * Where the transport reads the time and sets its timers: retries, claims, heartbeats, request
 * deadlines and the shutdown timeout. {@link systemClock} by default; tests pass a
 * {@link ManualClock} and advance it instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Calls `callback` once, `delayMs` from now. A callback may return a promise: a
   * {@link ManualClock} waits for it when it advances.
   */
  setTimer(delayMs: number, callback: () => unknown): ClockTimer;
}

/** The real time and Node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(timer) };
  },
};

/** Calls `callback` every `intervalMs` on `clock` until cancelled (the next call is set once one has run). */
export function setRepeatingTimer(clock: Clock, intervalMs: number, callback: () => unknown): ClockTimer {
  let timer: ClockTimer | undefined;
  let cancelled = false;
  const arm = () => {
    timer = clock.setTimer(intervalMs, () => {
      if (cancelled) return undefined;
      const result = callback();
      arm();
      return result;
    });
  };
  arm();
  return {
    cancel() {
      cancelled = true;
      timer?.cancel();
    },
  };
}

interface ManualTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => unknown;
}

/**
 * A clock that moves only when told: `advance(ms)` moves the time forward and runs the timers
 * that fall due, in order of their time, and resolves once the promises they returned settled.
 *
 * @example
 * const clock = new ManualClock();
 * const server = new RedisStreamsServer({ service: 'payments', clock });
 * await clock.advance(5_000); // one claim pass, run to its end
 */
export class ManualClock implements Clock {
  private time: number;
  private nextId = 0;
  private timers: ManualTimer[] = [];

  constructor(start = Date.now()) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, callback: () => unknown): ClockTimer {
    const timer: ManualTimer = { id: this.nextId++, at: this.time + Math.max(0, delayMs), callback };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  /** When each timer set and not yet fired is due, soonest first. */
  get pending(): readonly number[] {
    return this.timers.map((timer) => timer.at).sort((a, b) => a - b);
  }

  /**
   * Moves the time forward by `ms`, running every timer due meanwhile (including timers those
   * set), each at its own time; resolves once what they returned settled. A failed callback
   * does not stop the others; its error is thrown at the end.
   */
  async advance(ms: number): Promise<void> {
    const until = this.time + Math.max(0, ms);
    const results: unknown[] = [];
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = Math.max(this.time, due.at);
      try {
        results.push(due.callback());
      } catch (error) {
        results.push(Promise.reject(error));
      }
    }
    this.time = until;
    const settled = await Promise.allSettled(results);
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Moves the time to the next timer and runs it (and any due at the same time); false if none is set. */
  async advanceToNext(): Promise<boolean> {
    const [next] = this.pending;
    if (next === undefined) return false;
    await this.advance(next - this.time);
    return true;
  }
}
