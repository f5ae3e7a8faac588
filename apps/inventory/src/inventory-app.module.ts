import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from '@app/auth';
import { DatabaseModule, DatabaseReadinessCheck } from '@app/database';
import { IntegrationEventsModule, IntegrationEventsReadiness } from '@app/integration-events';
import { OutboxHealthIndicator } from '@app/outbox';
import { ServiceDefaultsModule } from '@app/service-defaults';
import { CONSUMED_EVENTS } from './consumed-events';
import { StockSnapshots } from './stock/stock-snapshots/stock-snapshots';
import { INVENTORY_SCHEMA } from './database/inventory-schema';
import { INVENTORY_ERRORS } from './inventory-errors';
import { ReservationsModule } from './reservations/reservations.module';
import { StockModule } from './stock/stock.module';

export const INVENTORY_PROCESS_NAME = 'inventory';
export const INVENTORY_DEFAULT_PORT = 3004;

/**
 * Inventory: owns the stock of every product. Builds it from the catalog's events, serves
 * stock adjustments, and answers the order saga's reserve and release commands; publishes
 * every change as `stock.adjusted`.
 */
@Module({
  imports: [
    ServiceDefaultsModule.forRoot({
      processName: INVENTORY_PROCESS_NAME,
      defaultPort: INVENTORY_DEFAULT_PORT,
      errorCatalogs: [INVENTORY_ERRORS],
      readiness: [DatabaseReadinessCheck, OutboxHealthIndicator, IntegrationEventsReadiness],
    }),
    DatabaseModule.forRoot({ processName: INVENTORY_PROCESS_NAME, ...INVENTORY_SCHEMA }),
    CqrsModule.forRoot(),
    IntegrationEventsModule.forRoot({
      origin: INVENTORY_PROCESS_NAME,
      consumes: CONSUMED_EVENTS,
      snapshotSources: [StockSnapshots],
    }),
    AuthModule,
    StockModule,
    ReservationsModule,
  ],
})
export class InventoryAppModule {}
