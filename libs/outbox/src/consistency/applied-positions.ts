import { Injectable } from '@nestjs/common';
import type { Position } from '@app/contracts';
import type { InboxSequenceKey } from '../inbox-sequence-rows';

/** One key per (consumer, aggregate, origin): the row of `inbox_sequences` a position is read from. */
export function appliedKey(key: InboxSequenceKey): string {
  return `${key.consumer}\u0000${key.aggregateType}\u0000${key.aggregateId}\u0000${key.origin}`;
}

/** The inbox row that says whether `consumer` applied `position`. */
export function keyOfPosition(consumer: string, position: Position): InboxSequenceKey {
  return {
    consumer,
    aggregateType: position.aggregateType,
    aggregateId: position.aggregateId,
    origin: position.origin,
  };
}

/**
 * What one request still waits for: each position not yet known to be applied. `done` resolves
 * once none is left; nothing else settles it (a caller that gives up races it with a timer).
 */
export class PositionWatch {
  readonly done: Promise<void>;
  private resolve!: () => void;
  private readonly pending = new Map<string, Position>();

  constructor(
    readonly consumer: string,
    positions: readonly Position[],
    private readonly release: (watch: PositionWatch, keys: readonly string[]) => void = () => undefined,
  ) {
    this.done = new Promise((resolve) => (this.resolve = resolve));
    for (const position of positions) this.pending.set(appliedKey(keyOfPosition(consumer, position)), position);
    if (this.pending.size === 0) this.resolve();
  }

  /** Whether every position is applied. */
  get met(): boolean {
    return this.pending.size === 0;
  }

  /** The positions not yet known to be applied. */
  get remaining(): readonly Position[] {
    return [...this.pending.values()];
  }

  /** The keys it waits on. */
  get keys(): readonly string[] {
    return [...this.pending.keys()];
  }

  /** The consumer's applied sequence of the row `key` is `sequence`: a position at or below it is met. */
  applied(key: string, sequence: number): void {
    const position = this.pending.get(key);
    if (!position || position.sequence > sequence) return;
    this.pending.delete(key);
    this.release(this, [key]);
    if (this.pending.size === 0) this.resolve();
  }

  /** Stops waiting: the watch hears no more applies. */
  cancel(): void {
    this.release(this, this.keys);
  }
}

/**
 * Who waits for which inbox row in this process, woken by the applies this process commits
 * ({@link notify}). Applies committed by another instance of the service are not heard here:
 * a waiter reads the rows again now and then (see `waitForPositions`).
 */
@Injectable()
export class AppliedPositions {
  private readonly watches = new Map<string, Set<PositionWatch>>();

  /** Starts listening for `positions` (before reading them, so that no apply falls in between). */
  watch(consumer: string, positions: readonly Position[]): PositionWatch {
    const watch = new PositionWatch(consumer, positions, (done, keys) => this.forget(done, keys));
    for (const key of watch.keys) {
      let set = this.watches.get(key);
      if (!set) this.watches.set(key, (set = new Set()));
      set.add(watch);
    }
    return watch;
  }

  /** After a commit: `key`'s consumer has applied its aggregate from its origin up to `sequence`. */
  notify(key: InboxSequenceKey, sequence: number): void {
    if (this.watches.size === 0) return;
    const text = appliedKey(key);
    const set = this.watches.get(text);
    if (!set) return;
    for (const watch of [...set]) watch.applied(text, sequence);
  }

  /** How many rows someone waits on (for tests and metrics). */
  get size(): number {
    return this.watches.size;
  }

  private forget(watch: PositionWatch, keys: readonly string[]): void {
    for (const key of keys) {
      const set = this.watches.get(key);
      if (!set) continue;
      set.delete(watch);
      if (set.size === 0) this.watches.delete(key);
    }
  }
}
