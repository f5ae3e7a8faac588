import {
  OrderCancelledEvent,
  OrderPlacedEvent,
  ProductCreatedEvent,
  ProductUpdatedEvent,
  StockAdjustedEvent,
  StockSnapshotEvent,
  WalletCreditedEvent,
  WalletDebitedEvent,
  WalletSnapshotEvent,
} from '@app/integration-events';

/**
 * The integration events the monolith applies when another service made the change, so
 * that its database stays complete and any route can move back to it.
 */
export const CONSUMED_EVENTS = [
  WalletCreditedEvent,
  WalletDebitedEvent,
  WalletSnapshotEvent,
  ProductCreatedEvent,
  ProductUpdatedEvent,
  StockAdjustedEvent,
  StockSnapshotEvent,
  OrderPlacedEvent,
  OrderCancelledEvent,
];
