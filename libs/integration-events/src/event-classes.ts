import {
  CustomerRegistered,
  type CustomerRegisteredData,
  CustomerSnapshot,
  type CustomerSnapshotData,
  OrderCancelled,
  type OrderCancelledData,
  OrderPlaced,
  type OrderPlacedData,
  ProductCreated,
  type ProductCreatedData,
  ProductSnapshot,
  type ProductSnapshotData,
  ProductUpdated,
  type ProductUpdatedData,
  StockAdjusted,
  type StockAdjustedData,
  StockSnapshot,
  type StockSnapshotData,
  WalletCredited,
  type WalletCreditedData,
  WalletDebited,
  type WalletDebitedData,
  WalletSnapshot,
  type WalletSnapshotData,
} from '@app/contracts';
import { type NamedEventClass, integrationEventClass } from './integration-event-class';

// Names for the classes services use by name. Each class is `integrationEventClass(definition)`;
// the interface beside it names its instances, which `instanceof` needs to narrow a union of events.
// An event needs no entry here to have its class.

/** A customer signed up. (`customer.registered`) */
export const CustomerRegisteredEvent: NamedEventClass<CustomerRegisteredEvent> =
  integrationEventClass(CustomerRegistered);
export interface CustomerRegisteredEvent {
  readonly data: CustomerRegisteredData;
}

/** The state of a customer and wallet (backfill). (`customer.snapshot`) */
export const CustomerSnapshotEvent: NamedEventClass<CustomerSnapshotEvent> = integrationEventClass(CustomerSnapshot);
export interface CustomerSnapshotEvent {
  readonly data: CustomerSnapshotData;
}

/** An approved order was cancelled. (`order.cancelled`) */
export const OrderCancelledEvent: NamedEventClass<OrderCancelledEvent> = integrationEventClass(OrderCancelled);
export interface OrderCancelledEvent {
  readonly data: OrderCancelledData;
}

/** An order was placed, approved or rejected. (`order.placed`) */
export const OrderPlacedEvent: NamedEventClass<OrderPlacedEvent> = integrationEventClass(OrderPlaced);
export interface OrderPlacedEvent {
  readonly data: OrderPlacedData;
}

/** A product was added to the catalog. (`product.created`) */
export const ProductCreatedEvent: NamedEventClass<ProductCreatedEvent> = integrationEventClass(ProductCreated);
export interface ProductCreatedEvent {
  readonly data: ProductCreatedData;
}

/** The state of a product and its stock (backfill). (`product.snapshot`) */
export const ProductSnapshotEvent: NamedEventClass<ProductSnapshotEvent> = integrationEventClass(ProductSnapshot);
export interface ProductSnapshotEvent {
  readonly data: ProductSnapshotData;
}

/** A product's name or price changed. (`product.updated`) */
export const ProductUpdatedEvent: NamedEventClass<ProductUpdatedEvent> = integrationEventClass(ProductUpdated);
export interface ProductUpdatedEvent {
  readonly data: ProductUpdatedData;
}

/** A product's stock changed (adjustment, order or cancellation). (`stock.adjusted`) */
export const StockAdjustedEvent: NamedEventClass<StockAdjustedEvent> = integrationEventClass(StockAdjusted);
export interface StockAdjustedEvent {
  readonly data: StockAdjustedData;
}

/** Money went into a wallet (deposit or refund). (`wallet.credited`) */
export const WalletCreditedEvent: NamedEventClass<WalletCreditedEvent> = integrationEventClass(WalletCredited);
export interface WalletCreditedEvent {
  readonly data: WalletCreditedData;
}

/** Money left a wallet for an order. (`wallet.debited`) */
export const WalletDebitedEvent: NamedEventClass<WalletDebitedEvent> = integrationEventClass(WalletDebited);
export interface WalletDebitedEvent {
  readonly data: WalletDebitedData;
}

/** The balance of a wallet as payments holds it (a gap past its outbox's retention). (`wallet.snapshot`) */
export const WalletSnapshotEvent: NamedEventClass<WalletSnapshotEvent> = integrationEventClass(WalletSnapshot);
export interface WalletSnapshotEvent {
  readonly data: WalletSnapshotData;
}

/** A product's stock as inventory holds it (a gap past its outbox's retention). (`stock.snapshot`) */
export const StockSnapshotEvent: NamedEventClass<StockSnapshotEvent> = integrationEventClass(StockSnapshot);
export interface StockSnapshotEvent {
  readonly data: StockSnapshotData;
}
