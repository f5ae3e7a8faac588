export { connectIntegrationEvents } from './connect-integration-events';
export { INTEGRATION_EVENTS_ERRORS, IntegrationEventsError } from './errors';
export type { IntegrationEventsErrorCode } from './errors';
export { EventsServer } from './events-server';
export { InboundEvents } from './inbound-events';
export { integrationEventClass, patternOf } from './integration-event-class';
export type {
  DataOf,
  IntegrationEventClass,
  IntegrationEventOf,
  IntegrationEventType,
  NamedEventClass,
} from './integration-event-class';
export { ApplyIntegrationEvents } from './integration-events-handler.decorator';
export type { IntegrationEventsHandler } from './integration-events-handler.decorator';
export { IntegrationEvents } from './integration-events';
export type { EventBodyOf } from './integration-events';
export {
  DEFAULT_EVENTS_CONCURRENCY,
  DEFAULT_EVENTS_GAP_READY_LIMIT_MS,
  DEFAULT_EVENTS_GAP_REPAIR_MS,
  DEFAULT_EVENTS_PARKED_CHECK_MS,
  DEFAULT_EVENTS_MAX_DELIVERIES,
  DEFAULT_EVENTS_RETRY_BASE_DELAY_MS,
  DEFAULT_EVENTS_RETRY_MAX_DELAY_MS,
  integrationEventsConfig,
} from './integration-events.config';
export type { IntegrationEventsConfig } from './integration-events.config';
export { IntegrationEventsModule } from './integration-events.module';
export type { IntegrationEventsModuleOptions } from './integration-events.module';
export { IntegrationEventsReadiness } from './integration-events.readiness';
export { ParkedEventsWatcher } from './parking/parked-events.watcher';
export type { ParkedCheck } from './parking/parked-events.watcher';
export { RESEND_REQUESTED } from './resend/resend-request.message';
export type { ResendRequestMessage } from './resend/resend-request.message';
export { ResendRequests } from './resend/resend-requests';
export type { SnapshotSource } from './resend/snapshot-source';
export { EVENTS_ORIGIN } from './tokens';
export {
  CustomerRegisteredEvent,
  CustomerSnapshotEvent,
  OrderCancelledEvent,
  OrderPlacedEvent,
  ProductCreatedEvent,
  ProductSnapshotEvent,
  ProductUpdatedEvent,
  StockAdjustedEvent,
  StockSnapshotEvent,
  WalletCreditedEvent,
  WalletDebitedEvent,
  WalletSnapshotEvent,
} from './event-classes';
