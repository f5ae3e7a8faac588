export { connectIntegrationEvents } from './connect-integration-events';
export { INTEGRATION_EVENTS_ERRORS, IntegrationEventsError } from './errors';
export type { IntegrationEventsErrorCode } from './errors';
export { EventsServer } from './events-server';
export { InboundEvents } from './inbound-events';
export { IntegrationEvent, patternOf } from './integration-event.decorator';
export type { DataOf, IntegrationEventType } from './integration-event.decorator';
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
export { CustomerRegisteredEvent } from './events/customer-registered.event';
export { CustomerSnapshotEvent } from './events/customer-snapshot.event';
export { OrderCancelledEvent } from './events/order-cancelled.event';
export { OrderPlacedEvent } from './events/order-placed.event';
export { ProductCreatedEvent } from './events/product-created.event';
export { ProductSnapshotEvent } from './events/product-snapshot.event';
export { ProductUpdatedEvent } from './events/product-updated.event';
export { StockAdjustedEvent } from './events/stock-adjusted.event';
export { WalletCreditedEvent } from './events/wallet-credited.event';
export { WalletDebitedEvent } from './events/wallet-debited.event';
