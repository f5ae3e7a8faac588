/** The resolved {@link OutboxOptions} of the module. */
export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');
/** The `RedisStreamsClient` the module opens for this service's publishing (override it in tests). */
export const OUTBOX_STREAMS_CLIENT = Symbol('OUTBOX_STREAMS_CLIENT');
/** The `EnvelopePublisher` the relay publishes with: `OUTBOX_STREAMS_CLIENT` unless overridden. */
export const OUTBOX_PUBLISHER = Symbol('OUTBOX_PUBLISHER');
/** The {@link OutboxMetrics} of the module. */
export const OUTBOX_METRICS = Symbol('OUTBOX_METRICS');
/** The `Clock` (of `@app/redis-streams`) requests awaiting positions wait on: the system clock unless overridden. */
export const CONSISTENCY_CLOCK = Symbol('CONSISTENCY_CLOCK');
/** The aggregate types this service applies from other origins (`OutboxModuleOptions.appliedAggregateTypes`), or null for any. */
export const APPLIED_AGGREGATE_TYPES = Symbol('APPLIED_AGGREGATE_TYPES');
