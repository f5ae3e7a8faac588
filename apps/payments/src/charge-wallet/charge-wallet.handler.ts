import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ChargeWalletReply, ChargeWalletRequest } from '@app/contracts';
import { UnitOfWork, isUniqueViolation } from '@app/database';
import { WalletChargeEntity } from '../wallet/wallet-charge.entity';
import { WalletLedger } from '../wallet/wallet-ledger';
import { assertSameCharge, canPay, chargeRecord, chargeReplyOf } from './charge-record';
import { ChargeWalletCommand } from './charge-wallet.command';

/**
 * Debits a wallet for an order, once per order id. The wallet row is locked first, so
 * charges against one wallet run one after another (PostgreSQL `FOR UPDATE`; SQLite runs
 * every transaction alone) and never overdraw it; the answer (`CHARGED` or `REJECTED
 * INSUFFICIENT_FUNDS`) is stored with the order id and given again to a repeat. An unknown
 * customer is answered `REJECTED CUSTOMER_NOT_FOUND` and not stored: nothing changed, and
 * the customer may be known a moment later (see the README).
 */
@CommandHandler(ChargeWalletCommand)
export class ChargeWalletHandler implements ICommandHandler<ChargeWalletCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly wallets: WalletLedger,
  ) {}

  async execute({ request }: ChargeWalletCommand): Promise<ChargeWalletReply> {
    try {
      return await this.attempt(request);
    } catch (error) {
      // Another transaction stored this order id meanwhile (for another wallet): answer from its row.
      if (!isUniqueViolation(error)) throw error;
      return this.attempt(request);
    }
  }

  private attempt(request: ChargeWalletRequest): Promise<ChargeWalletReply> {
    return this.uow.transaction(async (manager) => {
      const wallet = await this.wallets.lock(manager, request.customerId);
      const previous = await manager.findOne(WalletChargeEntity, { where: { orderId: request.orderId } });
      if (previous) {
        assertSameCharge(previous, request);
        return chargeReplyOf(previous);
      }
      if (!wallet) return { status: 'REJECTED', reason: 'CUSTOMER_NOT_FOUND' };
      const at = new Date();
      let record: WalletChargeEntity;
      if (canPay(wallet.balanceCents, request.amountCents)) {
        const balanceAfterCents = await this.wallets.change(manager, wallet, -request.amountCents, {
          kind: 'order_debit',
          orderId: request.orderId,
          at,
        });
        record = chargeRecord(request, { balanceAfterCents }, at);
      } else {
        record = chargeRecord(request, { rejection: 'INSUFFICIENT_FUNDS' }, at);
      }
      await manager.insert(WalletChargeEntity, record);
      return chargeReplyOf(record);
    });
  }
}
