import { Module } from '@nestjs/common';
import { ApplyCustomerEventsHandler } from './apply-customer-events/apply-customer-events.handler';
import { ApplyWalletEventsHandler } from './apply-wallet-events/apply-wallet-events.handler';
import { ChargeWalletHandler } from './charge-wallet/charge-wallet.handler';
import { ChargeWalletMessageController } from './charge-wallet/charge-wallet.message.controller';
import { MakeDepositHandler } from './make-deposit/make-deposit.handler';
import { MakeDepositHttpController } from './make-deposit/make-deposit.http.controller';
import { RefundWalletHandler } from './refund-wallet/refund-wallet.handler';
import { RefundWalletMessageController } from './refund-wallet/refund-wallet.message.controller';
import { WalletLedger } from './wallet/wallet-ledger';

/** Wallets: built from the customers' events, changed by deposits (HTTP) and by the saga's charges and refunds (messages). */
@Module({
  controllers: [MakeDepositHttpController, ChargeWalletMessageController, RefundWalletMessageController],
  providers: [
    WalletLedger,
    ApplyCustomerEventsHandler,
    ApplyWalletEventsHandler,
    MakeDepositHandler,
    ChargeWalletHandler,
    RefundWalletHandler,
  ],
})
export class WalletsModule {}
