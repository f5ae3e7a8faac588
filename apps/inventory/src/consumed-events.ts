import { ProductCreatedEvent, ProductSnapshotEvent, StockAdjustedEvent } from '@app/integration-events';

/**
 * The integration events inventory applies when another service made the change. The
 * bridge also reads `product.updated` (recorded, not applied), so that each origin's events
 * of a product stay in their order.
 */
export const CONSUMED_EVENTS = [ProductCreatedEvent, ProductSnapshotEvent, StockAdjustedEvent];
