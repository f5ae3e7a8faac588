import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { authConfig } from './auth.config';
import { AuthGuard } from './auth.guard';
import { TokenService } from './token.service';

/** Bearer-token authentication for every route of the app (`@Public()` to opt out). */
@Global()
@Module({
  imports: [ConfigModule.forFeature(authConfig)],
  providers: [TokenService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenService],
})
export class AuthModule {}
