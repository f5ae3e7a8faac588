import {
  ProductCreatedEvent,
  ProductSnapshotEvent,
  ProductUpdatedEvent,
  StockAdjustedEvent,
  StockSnapshotEvent,
} from '@app/integration-events';

/** The integration events the catalog builds its read model from, whoever published them. */
export const CATALOG_CONSUMED_EVENTS = [
  ProductCreatedEvent,
  ProductUpdatedEvent,
  StockAdjustedEvent,
  ProductSnapshotEvent,
  StockSnapshotEvent,
];
