import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { RefundWalletReply } from '@app/contracts';
import { UnitOfWork } from '@app/database';
import { assertSameCharge } from '../charge-wallet/charge-record';
import { WalletChargeEntity } from '../wallet/wallet-charge.entity';
import { WalletLedger } from '../wallet/wallet-ledger';
import { RefundWalletCommand } from './refund-wallet.command';

/**
 * Credits back what an order was charged, once. A repeat of a completed refund answers the
 * same `REFUNDED` reply again (the balance right after the refund, stored with the charge),
 * so a saga retrying after a lost reply sees a stable answer. An order never charged (or
 * rejected) is `NOTHING_TO_REFUND` with the current balance, `null` for an unknown customer;
 * that answer is not stored. Charges kept from another origin's debit (an order the monolith
 * placed) are refunded the same way; one the other origin refunded itself answers `REFUNDED`
 * with the balance right after that refund, as a repeat does.
 */
@CommandHandler(RefundWalletCommand)
export class RefundWalletHandler implements ICommandHandler<RefundWalletCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly wallets: WalletLedger,
  ) {}

  execute({ request }: RefundWalletCommand): Promise<RefundWalletReply> {
    return this.uow.transaction(async (manager) => {
      const wallet = await this.wallets.lock(manager, request.customerId);
      const charge = await manager.findOne(WalletChargeEntity, { where: { orderId: request.orderId } });
      if (charge) assertSameCharge(charge, request);
      if (charge?.refundedAt) return { status: 'REFUNDED', balanceCents: charge.refundBalanceCents ?? 0 };
      if (!wallet || charge?.status !== 'CHARGED') {
        return { status: 'NOTHING_TO_REFUND', balanceCents: wallet ? wallet.balanceCents : null };
      }
      const at = new Date();
      const balanceCents = await this.wallets.change(manager, wallet, charge.amountCents, {
        kind: 'order_refund',
        orderId: request.orderId,
        at,
      });
      await manager.update(
        WalletChargeEntity,
        { orderId: request.orderId },
        { refundedAt: at, refundBalanceCents: balanceCents },
      );
      return { status: 'REFUNDED', balanceCents };
    });
  }
}
