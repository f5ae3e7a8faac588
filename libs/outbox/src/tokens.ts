/** The resolved {@link OutboxOptions} of the module. */
export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');
/** The `RedisStreamsClient` the relay publishes with (override it in tests). */
export const OUTBOX_STREAMS_CLIENT = Symbol('OUTBOX_STREAMS_CLIENT');
/** The {@link OutboxMetrics} of the module. */
export const OUTBOX_METRICS = Symbol('OUTBOX_METRICS');
