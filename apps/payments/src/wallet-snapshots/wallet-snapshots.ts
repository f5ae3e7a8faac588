import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { IntegrationEvents, type SnapshotSource, WalletSnapshotEvent } from '@app/integration-events';
import { WalletEntity } from '../wallet/wallet.entity';

/**
 * Payments' answer to a consumer (the monolith) whose gap in a customer's wallet events reaches
 * back past payments' outbox retention: a `wallet.snapshot` of the balance, with the sequences
 * it reflects. The balance is the only state of a customer that payments changes, so the
 * snapshot covers every event of the customer it says it reflects.
 */
@Injectable()
export class WalletSnapshots implements SnapshotSource {
  readonly aggregateType = 'customer';

  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: IntegrationEvents,
  ) {}

  async record(manager: EntityManager, customerId: string): Promise<boolean> {
    const wallet = await this.uow.findOneForUpdate(manager, WalletEntity, { where: { customerId } });
    if (!wallet) return false;
    await this.events.record(manager, WalletSnapshotEvent, {
      customerId,
      balanceCents: wallet.balanceCents,
      sequences: await this.events.snapshotSequences(manager, this.aggregateType, customerId),
    });
    return true;
  }
}
