import { type Clock, type ClockTimer, systemClock } from './clock';

interface Lane {
  readonly items: { id: string; at: number }[];
  head: number;
  timer?: ClockTimer;
}

/**
 * Calls `onExpire(id)` at each entry's deadline with one timer per distinct timeout, not one
 * per entry: entries with the same timeout expire in the order they were added. Entries
 * settled meanwhile are not removed; `onExpire` ignores ids it no longer knows.
 */
export class DeadlineQueue {
  private readonly lanes = new Map<number, Lane>();

  constructor(
    private readonly onExpire: (id: string, timeoutMs: number) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  add(id: string, timeoutMs: number, now = this.clock.now()): void {
    let lane = this.lanes.get(timeoutMs);
    if (!lane) {
      lane = { items: [], head: 0 };
      this.lanes.set(timeoutMs, lane);
    }
    lane.items.push({ id, at: now + timeoutMs });
    if (!lane.timer) this.arm(timeoutMs, lane);
  }

  clear(): void {
    for (const lane of this.lanes.values()) lane.timer?.cancel();
    this.lanes.clear();
  }

  private arm(timeoutMs: number, lane: Lane): void {
    const next = lane.items[lane.head];
    if (!next) {
      this.lanes.delete(timeoutMs);
      return;
    }
    lane.timer = this.clock.setTimer(Math.max(0, next.at - this.clock.now()), () => this.fire(timeoutMs, lane));
  }

  private fire(timeoutMs: number, lane: Lane): void {
    lane.timer = undefined;
    const now = this.clock.now();
    while (lane.head < lane.items.length && (lane.items[lane.head]?.at ?? Infinity) <= now) {
      const item = lane.items[lane.head++];
      if (item) this.onExpire(item.id, timeoutMs);
    }
    if (lane.head > 1_024 && lane.head * 2 > lane.items.length) {
      lane.items.splice(0, lane.head);
      lane.head = 0;
    }
    if (this.lanes.get(timeoutMs) === lane) this.arm(timeoutMs, lane);
  }
}
