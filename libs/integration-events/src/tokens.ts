/** The name of this service as the `origin` of the events it publishes and the consumer of the others. */
export const EVENTS_ORIGIN = Symbol('EVENTS_ORIGIN');
/** The event classes this service consumes from other services. */
export const CONSUMED_EVENTS = Symbol('CONSUMED_EVENTS');
