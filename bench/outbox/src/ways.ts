import { randomUUID } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import type { BenchApp } from './bench-app';
import { BenchOrderEntity, newOrder } from './bench-order';
import { monotonicMs } from './clock';

export type WayName = 'outbox' | 'direct';

/** One order stored and its event published: which order, and when its transaction had committed. */
export interface Commit {
  readonly orderId: string;
  readonly commitMs: number;
}

/** How an order's transaction and its event are done. */
export interface Way {
  readonly name: WayName;
  /** Stores order `n` in a transaction of its own and publishes its event to `pattern`. */
  placeOrder(n: number, pattern: string): Promise<Commit>;
}

/** The order's row and `Outbox.add()` in one transaction; the relay publishes after the commit. */
export function outboxWay(app: BenchApp): Way {
  const { uow, outbox } = app;
  return {
    name: 'outbox',
    async placeOrder(n, pattern) {
      const { row, event } = newOrder(n);
      await uow.transaction(async (manager) => {
        await manager.insert(BenchOrderEntity, row);
        await outbox.add(manager, {
          id: randomUUID(),
          pattern,
          aggregateType: 'order',
          aggregateId: row.id,
          data: { ...event },
        });
      });
      return { orderId: row.id, commitMs: monotonicMs() };
    },
  };
}

/** The baseline: the order's row in a transaction, then `RedisStreamsClient.emit()`, awaited, after the commit. */
export function directWay(app: BenchApp): Way {
  const { uow, directClient } = app;
  return {
    name: 'direct',
    async placeOrder(n, pattern) {
      const { row, event } = newOrder(n);
      await uow.transaction((manager) => manager.insert(BenchOrderEntity, row));
      const commitMs = monotonicMs();
      await lastValueFrom(directClient.emit(pattern, event));
      return { orderId: row.id, commitMs };
    },
  };
}
