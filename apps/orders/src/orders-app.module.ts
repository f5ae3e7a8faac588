import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from '@app/auth';
import { DatabaseModule, DatabaseReadinessCheck } from '@app/database';
import { IdempotencyModule } from '@app/idempotency';
import { IntegrationEventsModule, IntegrationEventsReadiness } from '@app/integration-events';
import { OutboxHealthIndicator } from '@app/outbox';
import { SagasHealthIndicator } from '@app/sagas';
import { ServiceDefaultsModule } from '@app/service-defaults';
import { CONSUMED_EVENTS } from './consumed-events';
import { ORDERS_SCHEMA } from './database/orders-schema';
import { ORDERS_ERRORS } from './orders-errors';
import { ORDERS_DEFAULT_PORT, ORDERS_PROCESS_NAME } from './orders-process';
import { OrdersModule } from './orders/orders.module';
import { ShoppersModule } from './shoppers/shoppers.module';

/**
 * Orders: owns the orders. Places and cancels them as sagas over inventory (stock) and payments
 * (wallets), publishes `order.placed` / `order.cancelled`, and builds what it needs to know of
 * customers, products and the monolith's orders from their events.
 */
@Module({
  imports: [
    ServiceDefaultsModule.forRoot({
      processName: ORDERS_PROCESS_NAME,
      defaultPort: ORDERS_DEFAULT_PORT,
      errorCatalogs: [ORDERS_ERRORS],
      readiness: [DatabaseReadinessCheck, OutboxHealthIndicator, IntegrationEventsReadiness, SagasHealthIndicator],
    }),
    DatabaseModule.forRoot({ processName: ORDERS_PROCESS_NAME, ...ORDERS_SCHEMA }),
    CqrsModule.forRoot(),
    IntegrationEventsModule.forRoot({ origin: ORDERS_PROCESS_NAME, consumes: CONSUMED_EVENTS }),
    AuthModule,
    IdempotencyModule,
    ShoppersModule,
    OrdersModule,
  ],
})
export class OrdersAppModule {}
