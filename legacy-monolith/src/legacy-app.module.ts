import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from '@app/auth';
import { DatabaseModule, DatabaseReadinessCheck } from '@app/database';
import { ServiceDefaultsModule } from '@app/service-defaults';
import { CatalogModule } from './catalog/catalog.module';
import { CustomersModule } from './customers/customers.module';
import { LEGACY_SCHEMA } from './database/legacy-schema';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { LEGACY_ERRORS } from './legacy-errors';
import { OrdersModule } from './orders/orders.module';

export const LEGACY_PROCESS_NAME = 'legacy-monolith';
export const LEGACY_DEFAULT_PORT = 3000;

/** The legacy monolith: customers and tokens, catalog and stock, orders, on one database. */
@Module({
  imports: [
    ServiceDefaultsModule.forRoot({
      processName: LEGACY_PROCESS_NAME,
      defaultPort: LEGACY_DEFAULT_PORT,
      errorCatalogs: [LEGACY_ERRORS],
      readiness: [DatabaseReadinessCheck],
    }),
    DatabaseModule.forRoot({ processName: LEGACY_PROCESS_NAME, ...LEGACY_SCHEMA }),
    CqrsModule.forRoot(),
    AuthModule,
    IdempotencyModule,
    CustomersModule,
    CatalogModule,
    OrdersModule,
  ],
})
export class LegacyAppModule {}
