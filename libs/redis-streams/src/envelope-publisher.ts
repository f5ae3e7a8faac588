import type { Envelope } from './envelope';

/** Options of {@link EnvelopePublisher.publishEnvelopes}. */
export interface PublishOptions {
  /** Raise the publisher's high-water mark `name` to `value` with the batch, if Redis holds it at `atLeast` (default 0) or more. */
  readonly highWaterMark?: { readonly name: string; readonly value: number; readonly atLeast?: number };
}

/**
 * What a publisher of prepared envelopes needs from the transport: store a batch in order,
 * raising a high-water mark with it, and read that mark back to tell whether the transport
 * lost data. `RedisStreamsClient` implements it; the outbox relay depends on nothing else.
 */
export interface EnvelopePublisher {
  /**
   * Stores the envelopes, in order, each under its pattern, keeping its `id` and `meta`;
   * resolves with their entry ids once all are stored. With `highWaterMark`, raises the mark
   * after them, or rejects with `STREAMS_MARK_BEHIND` (the envelopes stored) when the
   * transport holds it below `atLeast`.
   */
  publishEnvelopes(envelopes: readonly Envelope[], options?: PublishOptions): Promise<readonly string[]>;
  /** The high-water mark `name` as `publishEnvelopes` last raised it, or null when none is held. */
  readHighWaterMark(name: string): Promise<number | null>;
}
