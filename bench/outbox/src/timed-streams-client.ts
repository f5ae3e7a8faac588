import { type Envelope, RedisStreamsClient } from '@app/redis-streams';
import type { OrderPlaced } from './bench-order';
import { monotonicMs } from './clock';

/** One batch the relay handed to Redis: when it called, when Redis had stored all of it, what. */
export interface PublishedBatch {
  readonly startMs: number;
  readonly endMs: number;
  readonly orderIds: readonly string[];
}

/**
 * The relay's Redis client, unchanged, plus a note of each batch it publishes (put in place of
 * `OUTBOX_STREAMS_CLIENT`): splits the outbox's commit-to-stream time into the wait before the
 * relay publishes and the publishing itself.
 */
export class TimedStreamsClient extends RedisStreamsClient {
  private batches: PublishedBatch[] = [];

  /** Passes every argument on: the relay raises its high-water mark with the batch (`options`). */
  override async publishEnvelopes(
    envelopes: readonly Envelope[],
    options?: Parameters<RedisStreamsClient['publishEnvelopes']>[1],
  ): Promise<string[]> {
    const startMs = monotonicMs();
    const entryIds = await super.publishEnvelopes(envelopes, options);
    const endMs = monotonicMs();
    this.batches.push({ startMs, endMs, orderIds: envelopes.map((e) => (e.data as OrderPlaced).orderId) });
    return entryIds;
  }

  /** The batches published since the last call. */
  takeBatches(): PublishedBatch[] {
    const batches = this.batches;
    this.batches = [];
    return batches;
  }
}
