import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from '@app/auth';
import { DatabaseModule, DatabaseReadinessCheck } from '@app/database';
import { IdempotencyModule } from '@app/idempotency';
import { IntegrationEventsModule, IntegrationEventsReadiness } from '@app/integration-events';
import { OutboxHealthIndicator } from '@app/outbox';
import { ServiceDefaultsModule } from '@app/service-defaults';
import { CONSUMED_EVENTS } from './consumed-events';
import { PAYMENTS_SCHEMA } from './database/payments-schema';
import { PAYMENTS_ERRORS } from './payments-errors';
import { WalletSnapshots } from './wallet-snapshots/wallet-snapshots';
import { WalletsModule } from './wallets.module';

export const PAYMENTS_PROCESS_NAME = 'payments';
export const PAYMENTS_DEFAULT_PORT = 3003;

/**
 * Payments: owns the wallets. Builds them from the monolith's customer and wallet events,
 * serves deposits over HTTP, answers the order saga's charges and refunds over the streams,
 * and publishes each change it makes as `wallet.credited` / `wallet.debited`.
 */
@Module({
  imports: [
    ServiceDefaultsModule.forRoot({
      processName: PAYMENTS_PROCESS_NAME,
      defaultPort: PAYMENTS_DEFAULT_PORT,
      errorCatalogs: [PAYMENTS_ERRORS],
      readiness: [DatabaseReadinessCheck, OutboxHealthIndicator, IntegrationEventsReadiness],
    }),
    DatabaseModule.forRoot({ processName: PAYMENTS_PROCESS_NAME, ...PAYMENTS_SCHEMA }),
    CqrsModule.forRoot(),
    IntegrationEventsModule.forRoot({
      origin: PAYMENTS_PROCESS_NAME,
      consumes: CONSUMED_EVENTS,
      snapshotSources: [WalletSnapshots],
    }),
    AuthModule,
    IdempotencyModule,
    WalletsModule,
  ],
})
export class PaymentsAppModule {}
