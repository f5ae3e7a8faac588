import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ApplyIntegrationEvents,
  CustomerRegisteredEvent,
  CustomerSnapshotEvent,
  IntegrationEventsHandler,
} from '@app/integration-events';
import { WalletLedger } from '../wallet/wallet-ledger';

type CustomerEvent = CustomerRegisteredEvent | CustomerSnapshotEvent;

/**
 * Opens a wallet for every customer registered at the monolith (`customer.registered`), and
 * builds or resets one from a backfill (`customer.snapshot`, an absolute balance). The inbox
 * has already decided that the event is new and, for a snapshot, not older than what this
 * wallet reflects (payments' own changes included).
 */
@Injectable()
@ApplyIntegrationEvents(CustomerRegisteredEvent, CustomerSnapshotEvent)
export class ApplyCustomerEventsHandler implements IntegrationEventsHandler<CustomerEvent> {
  private readonly logger = new Logger(ApplyCustomerEventsHandler.name);

  constructor(private readonly wallets: WalletLedger) {}

  async handle(event: CustomerEvent, manager: EntityManager): Promise<void> {
    const { data } = event;
    const at = new Date(data.occurredAt);
    const wallet = await this.wallets.lock(manager, data.customerId);
    if (!wallet) {
      const opening = {
        customerId: data.customerId,
        balanceCents: data.balanceCents,
        createdAt: new Date(data.createdAt),
      };
      await this.wallets.open(manager, opening, at);
      return;
    }
    if (event instanceof CustomerSnapshotEvent) {
      await this.wallets.reset(manager, wallet, data.balanceCents, at);
      return;
    }
    // Only a snapshot can have opened it first, and a snapshot covers the registration: nothing to add.
    this.logger.warn(
      { messageId: data.id, customerId: data.customerId },
      'customer.registered for a known wallet; ignored',
    );
  }
}
