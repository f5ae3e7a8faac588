/** Counts work in flight against a limit; callers wait for a free slot. */
export class ConcurrencyGate {
  private active = 0;
  private readonly slotWaiters: (() => void)[] = [];
  private freeWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.active;
  }

  get available(): number {
    return Math.max(0, this.limit - this.active);
  }

  /** Resolves with a slot taken (at once if one is free); the caller must `release()` it. */
  acquire(): Promise<void> {
    if (this.active < this.limit && this.slotWaiters.length === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  /** Takes up to `wanted` free slots at once; returns how many it took. */
  tryAcquire(wanted: number): number {
    const taken = this.slotWaiters.length > 0 ? 0 : Math.min(wanted, this.available);
    this.active += taken;
    return taken;
  }

  /** Resolves when a slot is free, without taking it. */
  whenAvailable(): Promise<void> {
    if (this.available > 0 && this.slotWaiters.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.freeWaiters.push(resolve));
  }

  release(count = 1): void {
    this.active -= count;
    while (this.active < this.limit && this.slotWaiters.length > 0) {
      this.active++;
      this.slotWaiters.shift()?.();
    }
    if (this.available > 0 && this.freeWaiters.length > 0) {
      const waiters = this.freeWaiters;
      this.freeWaiters = [];
      for (const wake of waiters) wake();
    }
    if (this.active === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Resolves when nothing is in flight (at once if nothing is). */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
