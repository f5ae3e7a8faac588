import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { idempotencyConfig } from './idempotency.config';
import { IdempotencyKeyPurger } from './idempotency-key.purger';
import { IdempotentExecutor } from './idempotent-executor';

@Global()
@Module({
  imports: [ConfigModule.forFeature(idempotencyConfig)],
  providers: [IdempotentExecutor, IdempotencyKeyPurger],
  exports: [IdempotentExecutor],
})
export class IdempotencyModule {}
