import { ApplyWalletEventsHandler } from './apply-wallet-events/apply-wallet-events.handler';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AdminAccountProvisioner } from './admin-account/admin-account.provisioner';
import { customersConfig } from './customers.config';
import { GetCustomerHandler } from './get-customer/get-customer.handler';
import { GetCustomerHttpController } from './get-customer/get-customer.http.controller';
import { IssueTokenHandler } from './issue-token/issue-token.handler';
import { IssueTokenHttpController } from './issue-token/issue-token.http.controller';
import { MakeDepositHandler } from './make-deposit/make-deposit.handler';
import { MakeDepositHttpController } from './make-deposit/make-deposit.http.controller';
import { PasswordHasher } from './passwords/password-hasher';
import { RegisterCustomerHandler } from './register-customer/register-customer.handler';
import { RegisterCustomerHttpController } from './register-customer/register-customer.http.controller';
import { WalletLedger } from './wallet/wallet-ledger';

/** Customers, their wallets, the admin account, and access tokens. */
@Module({
  imports: [ConfigModule.forFeature(customersConfig)],
  controllers: [
    RegisterCustomerHttpController,
    IssueTokenHttpController,
    GetCustomerHttpController,
    MakeDepositHttpController,
  ],
  providers: [
    ApplyWalletEventsHandler,
    WalletLedger,
    PasswordHasher,
    AdminAccountProvisioner,
    RegisterCustomerHandler,
    IssueTokenHandler,
    GetCustomerHandler,
    MakeDepositHandler,
  ],
  exports: [WalletLedger],
})
export class CustomersModule {}
