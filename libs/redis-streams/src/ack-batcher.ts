import type { RedisConnection } from './redis-connection';

/**
 * Collects acknowledgements made in the same turn of the event loop and sends one XACK
 * per stream, all in one pipeline. An acknowledgement that fails leaves its message
 * pending, to be delivered again (at least once); `onError` hears of it.
 */
export class AckBatcher {
  private batches = new Map<string, string[]>();
  private scheduled = false;
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly connection: RedisConnection,
    private readonly group: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  ack(stream: string, entryId: string): void {
    const batch = this.batches.get(stream);
    if (batch) batch.push(entryId);
    else this.batches.set(stream, [entryId]);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  /** Sends what is queued; resolves once every acknowledgement sent so far was answered. */
  flush(): Promise<void> {
    this.scheduled = false;
    const batches = this.batches;
    this.batches = new Map();
    for (const [stream, ids] of batches) {
      const sent: Promise<void> = this.connection.sendCommand(['XACK', stream, this.group, ...ids]).then(
        () => undefined,
        (error: unknown) => this.onError(error),
      );
      this.sending.add(sent);
      void sent.finally(() => this.sending.delete(sent));
    }
    return Promise.all([...this.sending]).then(() => undefined);
  }
}
