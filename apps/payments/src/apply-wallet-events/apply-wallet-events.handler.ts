import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ApplyIntegrationEvents,
  IntegrationEventsHandler,
  WalletCreditedEvent,
  WalletDebitedEvent,
} from '@app/integration-events';
import { WalletError } from '../wallet/wallet.errors';
import { WalletLedger } from '../wallet/wallet-ledger';

type WalletEvent = WalletCreditedEvent | WalletDebitedEvent;

/**
 * Applies the wallet changes another service (the monolith) made, so that the balance
 * payments charges against includes them. The inbox has already checked that the event is
 * new and next in the customer's order for its origin. A wallet payments does not know yet,
 * or a debit beyond the balance, throws: the event is delivered again later (and
 * dead-lettered in the end).
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
      await this.wallets.applyForeign(manager, wallet, -event.data.amountCents, {
        kind: 'order_debit',
        orderId: event.data.orderId,
        at,
      });
      return;
    }
    const credited = event.data;
    await this.wallets.applyForeign(manager, wallet, credited.amountCents, {
      kind: credited.reason === 'deposit' ? 'deposit' : 'order_refund',
      orderId: credited.orderId,
      at,
    });
  }
}
