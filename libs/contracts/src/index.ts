export { defineCommand } from './define-command';
export type {
  CommandBody,
  CommandDefinition,
  CommandReply,
  CommandRequest,
  CommandRequestSchema,
  CommandSpec,
} from './define-command';
export { defineEvent, defineSnapshot } from './define-event';
export type {
  EventBody,
  EventData,
  EventDefinition,
  EventSchema,
  EventSpec,
  SnapshotSchema,
  SnapshotScope,
} from './define-event';
export {
  APPLIED_HEADER,
  AWAIT_HEADER,
  CONSISTENCY_HEADER,
  MAX_POSITIONS,
  POSITIONS_HEADER,
  formatPositions,
  parsePositions,
} from './consistency/positions';
export type { Position, PositionsResult } from './consistency/positions';
export { COMMAND_HEADER_KEYS, EVENT_HEADER_KEYS } from './headers';
export type { CommandHeaderKey, EventHeaderKey } from './headers';
export { MAX_ITEM_QUANTITY, MAX_ORDER_ITEMS } from './order-lines';
export {
  Cents,
  IsoTimestamp,
  LowerCaseEmail,
  PATTERN_FORMAT,
  SERVICE_NAME_FORMAT,
  ServiceName as ServiceNameSchema,
  Sku,
  Uuid,
} from './primitives';
export {
  INTEGRATION_EVENTS,
  SAGA_COMMANDS,
  commandByPattern,
  commandSchemas,
  eventByPattern,
  eventSchemas,
} from './registry';
export type { CommandPattern, EventPattern, IntegrationEventDefinition, SagaCommandDefinition } from './registry';
export { AGGREGATE_TYPES, SERVICE_NAMES } from './services';
export type { AggregateType, CommandService, ServiceName } from './services';

export { CustomerRegistered } from './events/customer-registered.event';
export type { CustomerRegisteredData } from './events/customer-registered.event';
export { CustomerSnapshot } from './events/customer-snapshot.event';
export type { CustomerSnapshotData } from './events/customer-snapshot.event';
export { OrderCancelled } from './events/order-cancelled.event';
export type { OrderCancelledData } from './events/order-cancelled.event';
export { OrderPlaced, REJECTION_REASONS } from './events/order-placed.event';
export type { OrderPlacedData } from './events/order-placed.event';
export { ProductCreated } from './events/product-created.event';
export type { ProductCreatedData } from './events/product-created.event';
export { ProductSnapshot } from './events/product-snapshot.event';
export type { ProductSnapshotData } from './events/product-snapshot.event';
export { ProductUpdated } from './events/product-updated.event';
export type { ProductUpdatedData } from './events/product-updated.event';
export { StockAdjusted } from './events/stock-adjusted.event';
export type { StockAdjustedData } from './events/stock-adjusted.event';
export { StockSnapshot } from './events/stock-snapshot.event';
export type { StockSnapshotData } from './events/stock-snapshot.event';
export { WalletCredited } from './events/wallet-credited.event';
export type { WalletCreditedData } from './events/wallet-credited.event';
export { WalletDebited } from './events/wallet-debited.event';
export type { WalletDebitedData } from './events/wallet-debited.event';
export { WalletSnapshot } from './events/wallet-snapshot.event';
export type { WalletSnapshotData } from './events/wallet-snapshot.event';

export { ChargeWallet } from './commands/charge-wallet.command';
export type { ChargeWalletReply, ChargeWalletRequest } from './commands/charge-wallet.command';
export { RefundWallet } from './commands/refund-wallet.command';
export type { RefundWalletReply, RefundWalletRequest } from './commands/refund-wallet.command';
export { ReleaseStock } from './commands/release-stock.command';
export type { ReleaseStockReply, ReleaseStockRequest } from './commands/release-stock.command';
export { ReserveStock } from './commands/reserve-stock.command';
export type { ReserveStockReply, ReserveStockRequest } from './commands/reserve-stock.command';
