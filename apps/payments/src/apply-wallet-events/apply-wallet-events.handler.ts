import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ApplyIntegrationEvents,
  IntegrationEventsHandler,
  WalletCreditedEvent,
  WalletDebitedEvent,
} from '@app/integration-events';
import { chargeRecord, settledByForeignRefund } from '../charge-wallet/charge-record';
import { WalletChargeEntity } from '../wallet/wallet-charge.entity';
import { WalletError } from '../wallet/wallet.errors';
import { WalletLedger } from '../wallet/wallet-ledger';

type WalletEvent = WalletCreditedEvent | WalletDebitedEvent;

/**
 * Applies the wallet changes another service (the monolith) made, so that the balance
 * payments charges against includes them. The inbox has already checked that the event is
 * new and next in the customer's order for its origin. A wallet payments does not know yet,
 * or a debit beyond the balance, throws: the event is delivered again later (and
 * dead-lettered in the end).
 *
 * In the same transaction, the orders behind them are kept in `wallet_charges`, so the
 * saga's refunds work for orders the other side placed or cancelled: a debit (`order`)
 * records the order's charge (`CHARGED`, unless the order has a charge here already), so a
 * `payments.refund-wallet` gives the money back; a credit of `refund` marks the order's
 * charge refunded, so a `payments.refund-wallet` answers `REFUNDED` and credits nothing more.
 * The wallet is locked first, as the charge and refund commands lock it, so they run one
 * after another.
 */
@Injectable()
@ApplyIntegrationEvents(WalletCreditedEvent, WalletDebitedEvent)
export class ApplyWalletEventsHandler implements IntegrationEventsHandler<WalletEvent> {
  constructor(private readonly wallets: WalletLedger) {}

  async handle(event: WalletEvent, manager: EntityManager): Promise<void> {
    const { data } = event;
    const wallet = await this.wallets.lock(manager, data.customerId);
    if (!wallet) {
      throw new WalletError(
        'WALLET_EVENT_NOT_APPLICABLE',
        `${data.id}: payments has no wallet for customer ${data.customerId} yet.`,
      );
    }
    const at = new Date(data.occurredAt);
    if (event instanceof WalletDebitedEvent) {
      const debit = event.data;
      const balanceAfterCents = await this.wallets.applyForeign(manager, wallet, -debit.amountCents, {
        kind: 'order_debit',
        orderId: debit.orderId,
        at,
      });
      if (!(await manager.exists(WalletChargeEntity, { where: { orderId: debit.orderId } }))) {
        await manager.insert(WalletChargeEntity, chargeRecord(debit, { balanceAfterCents }, at));
      }
      return;
    }
    const credited = event.data;
    const balanceCents = await this.wallets.applyForeign(manager, wallet, credited.amountCents, {
      kind: credited.reason === 'deposit' ? 'deposit' : 'order_refund',
      orderId: credited.orderId,
      at,
    });
    if (credited.reason !== 'refund' || credited.orderId === null) return;
    const charge = await manager.findOne(WalletChargeEntity, { where: { orderId: credited.orderId } });
    if (settledByForeignRefund(charge, credited.customerId)) {
      await manager.update(
        WalletChargeEntity,
        { orderId: charge.orderId },
        { refundedAt: at, refundBalanceCents: balanceCents },
      );
    }
  }
}
