import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from '@app/auth';
import { DatabaseModule, DatabaseReadinessCheck } from '@app/database';
import { IntegrationEventsModule, IntegrationEventsReadiness } from '@app/integration-events';
import { OutboxHealthIndicator } from '@app/outbox';
import { ServiceDefaultsModule } from '@app/service-defaults';
import { CATALOG_DEFAULT_PORT, CATALOG_PROCESS_NAME } from './catalog-process';
import { catalogConfig } from './catalog.config';
import { CATALOG_APP_ERRORS } from './catalog-errors';
import { CATALOG_CONSUMED_EVENTS } from './consumed-events';
import { CATALOG_SCHEMA } from './database/catalog-schema';
import { ProductsModule } from './products/products.module';
import { ProjectionLagModule } from './projection-lag/projection-lag.module';
import { ProjectionLagReadiness } from './projection-lag/projection-lag.readiness';

/**
 * The catalog: a read model of products and stock built from integration events (whoever
 * published them), serving the product reads and product creation of the public API.
 */
@Module({
  imports: [
    ServiceDefaultsModule.forRoot({
      processName: CATALOG_PROCESS_NAME,
      defaultPort: CATALOG_DEFAULT_PORT,
      config: [catalogConfig],
      errorCatalogs: [CATALOG_APP_ERRORS],
      readiness: [DatabaseReadinessCheck, OutboxHealthIndicator, IntegrationEventsReadiness, ProjectionLagReadiness],
    }),
    DatabaseModule.forRoot({ processName: CATALOG_PROCESS_NAME, ...CATALOG_SCHEMA }),
    CqrsModule.forRoot(),
    IntegrationEventsModule.forRoot({ origin: CATALOG_PROCESS_NAME, consumes: CATALOG_CONSUMED_EVENTS }),
    AuthModule,
    ProjectionLagModule,
    ProductsModule,
  ],
})
export class CatalogAppModule {}
