import type { SchemaOptions } from '@app/database';
import { OUTBOX_SCHEMA } from '@app/outbox';
import { ReservationLineEntity } from '../reservations/reservation-line.entity';
import { ReservationEntity } from '../reservations/reservation.entity';
import { ProductStockEntity } from '../stock/product-stock.entity';
import { StockMovementEntity } from '../stock/stock-movement.entity';
import { InventorySchema1764201600000 } from './migrations/1764201600000-inventory-schema';

/** Inventory's database: its entities (with the outbox's and inbox's), and the migrations that build it. */
export const INVENTORY_SCHEMA: SchemaOptions = {
  entities: [
    ProductStockEntity,
    StockMovementEntity,
    ReservationEntity,
    ReservationLineEntity,
    ...OUTBOX_SCHEMA.entities,
  ],
  migrations: [InventorySchema1764201600000, ...OUTBOX_SCHEMA.migrations],
};
