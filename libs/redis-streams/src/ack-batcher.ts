import type { RedisConnection } from './redis-connection';

interface Batch {
  ids: string[];
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

/**
 * Collects acknowledgements made in the same turn of the event loop and sends one XACK
 * per stream, all in one pipeline.
 */
export class AckBatcher {
  private batches = new Map<string, Batch>();
  private scheduled = false;

  constructor(
    private readonly connection: RedisConnection,
    private readonly group: string,
  ) {}

  ack(stream: string, entryId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let batch = this.batches.get(stream);
      if (!batch) {
        batch = { ids: [], waiters: [] };
        this.batches.set(stream, batch);
      }
      batch.ids.push(entryId);
      batch.waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  async flush(): Promise<void> {
    this.scheduled = false;
    const batches = this.batches;
    this.batches = new Map();
    await Promise.all(
      [...batches.entries()].map(async ([stream, batch]) => {
        try {
          await this.connection.sendCommand(['XACK', stream, this.group, ...batch.ids]);
          for (const waiter of batch.waiters) waiter.resolve();
        } catch (error) {
          for (const waiter of batch.waiters) waiter.reject(error);
        }
      }),
    );
  }
}
