import { OrderCancelledEvent } from './order-cancelled.event';
import { OrderPlacedEvent } from './order-placed.event';
import { ProductCreatedEvent } from './product-created.event';
import { ProductUpdatedEvent } from './product-updated.event';
import { StockAdjustedEvent } from './stock-adjusted.event';
import { WalletCreditedEvent } from './wallet-credited.event';
import { WalletDebitedEvent } from './wallet-debited.event';

/**
 * The integration events the monolith applies when another service made the change, so
 * that its database stays complete and any route can move back to it.
 */
export const CONSUMED_EVENTS = [
  WalletCreditedEvent,
  WalletDebitedEvent,
  ProductCreatedEvent,
  ProductUpdatedEvent,
  StockAdjustedEvent,
  OrderPlacedEvent,
  OrderCancelledEvent,
];
