import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from '@app/auth';
import { DatabaseModule, DatabaseReadinessCheck } from '@app/database';
import { IdempotencyModule } from '@app/idempotency';
import { IntegrationEventsModule, IntegrationEventsReadiness } from '@app/integration-events';
import { OutboxHealthIndicator } from '@app/outbox';
import { ServiceDefaultsModule } from '@app/service-defaults';
import { BackfillModule, LEGACY_SNAPSHOT_SOURCES } from './backfill/backfill.module';
import { CatalogModule } from './catalog/catalog.module';
import { CustomersModule } from './customers/customers.module';
import { LEGACY_SCHEMA } from './database/legacy-schema';
import { CONSUMED_EVENTS } from './consumed-events';
import { LEGACY_ERRORS } from './legacy-errors';
import { OrdersModule } from './orders/orders.module';

export const LEGACY_PROCESS_NAME = 'legacy-monolith';
export const LEGACY_DEFAULT_PORT = 3000;

/**
 * The legacy monolith: customers and tokens, catalog and stock, orders, on one database;
 * publishes every change as an integration event and applies those of other services.
 */
@Module({
  imports: [
    ServiceDefaultsModule.forRoot({
      processName: LEGACY_PROCESS_NAME,
      defaultPort: LEGACY_DEFAULT_PORT,
      errorCatalogs: [LEGACY_ERRORS],
      readiness: [DatabaseReadinessCheck, OutboxHealthIndicator, IntegrationEventsReadiness],
    }),
    DatabaseModule.forRoot({ processName: LEGACY_PROCESS_NAME, ...LEGACY_SCHEMA }),
    CqrsModule.forRoot(),
    IntegrationEventsModule.forRoot({
      origin: LEGACY_PROCESS_NAME,
      consumes: CONSUMED_EVENTS,
      // A consumer whose gap reaches back past the outbox's retention gets the aggregate's state.
      snapshotSources: LEGACY_SNAPSHOT_SOURCES,
    }),
    AuthModule,
    IdempotencyModule,
    CustomersModule,
    CatalogModule,
    OrdersModule,
    BackfillModule,
  ],
})
export class LegacyAppModule {}
