import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ApplyIntegrationEvents,
  IntegrationEventsHandler,
  WalletCreditedEvent,
  WalletDebitedEvent,
  WalletSnapshotEvent,
} from '@app/integration-events';
import { WalletLedger } from '../wallet/wallet-ledger';

type WalletEvent = WalletCreditedEvent | WalletDebitedEvent | WalletSnapshotEvent;

/**
 * Applies the wallet changes another service (payments) made, so that the balance the
 * monolith shows includes them. The inbox has already checked that the event is new and
 * next in the customer's order, or, for a `wallet.snapshot` (payments' answer to a gap past
 * its outbox's retention), that it covers everything applied here.
 */
@Injectable()
@ApplyIntegrationEvents(WalletCreditedEvent, WalletDebitedEvent, WalletSnapshotEvent)
export class ApplyWalletEventsHandler implements IntegrationEventsHandler<WalletEvent> {
  constructor(private readonly wallets: WalletLedger) {}

  async handle(event: WalletEvent, manager: EntityManager): Promise<void> {
    const { data } = event;
    const customer = await this.wallets.lock(manager, data.customerId);
    // Customers are registered here only, so a missing one is an event from another world: retried, then dead-lettered.
    if (!customer) throw new Error(`${data.id}: customer ${data.customerId} does not exist here`);
    const at = new Date(data.occurredAt);
    if (event instanceof WalletSnapshotEvent) {
      await this.wallets.applySnapshot(manager, customer, event.data.balanceCents, at);
    } else if (event instanceof WalletDebitedEvent) {
      await this.wallets.applyForeign(manager, customer, -event.data.amountCents, {
        kind: 'order_debit',
        orderId: event.data.orderId,
        at,
      });
    } else {
      const credited = event.data;
      await this.wallets.applyForeign(manager, customer, credited.amountCents, {
        kind: credited.reason === 'deposit' ? 'deposit' : 'order_refund',
        orderId: credited.orderId,
        at,
      });
    }
  }
}
