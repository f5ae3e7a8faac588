import {
  CustomerRegisteredEvent,
  CustomerSnapshotEvent,
  OrderCancelledEvent,
  OrderPlacedEvent,
  ProductCreatedEvent,
  ProductSnapshotEvent,
  ProductUpdatedEvent,
} from '@app/integration-events';

/**
 * The integration events orders applies when another service made the change: who may order
 * (customers), at what price (products), and the monolith's own orders (so its history is whole).
 */
export const CONSUMED_EVENTS = [
  CustomerRegisteredEvent,
  CustomerSnapshotEvent,
  ProductCreatedEvent,
  ProductUpdatedEvent,
  ProductSnapshotEvent,
  OrderPlacedEvent,
  OrderCancelledEvent,
];
