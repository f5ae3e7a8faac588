/** The resolved {@link OutboxOptions} of the module. */
export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');
/** The `RedisStreamsClient` the module opens for this service's publishing (override it in tests). */
export const OUTBOX_STREAMS_CLIENT = Symbol('OUTBOX_STREAMS_CLIENT');
/** The `EnvelopePublisher` the relay publishes with: `OUTBOX_STREAMS_CLIENT` unless overridden. */
export const OUTBOX_PUBLISHER = Symbol('OUTBOX_PUBLISHER');
/** The {@link OutboxMetrics} of the module. */
export const OUTBOX_METRICS = Symbol('OUTBOX_METRICS');
