import {
  CustomerRegisteredEvent,
  CustomerSnapshotEvent,
  OrderCancelledEvent,
  OrderPlacedEvent,
  ProductCreatedEvent,
  ProductSnapshotEvent,
} from '@app/integration-events';

/**
 * The integration events orders applies when another service made the change: who may order
 * (customers), at what price (products), and the monolith's own orders (so its history is whole).
 * `product.updated` is read (its product's sequence stays whole) but not applied: nobody publishes
 * it yet (no route changes a price); when one does, orders applies it to `product_prices`.
 */
export const CONSUMED_EVENTS = [
  CustomerRegisteredEvent,
  CustomerSnapshotEvent,
  ProductCreatedEvent,
  ProductSnapshotEvent,
  OrderPlacedEvent,
  OrderCancelledEvent,
];
