import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { CustomerSnapshotEvent, IntegrationEvents, type SnapshotSource } from '@app/integration-events';
import { CustomerEntity } from '../customers/customer.entity';

/** `customer.snapshot` events: the backfill's, and the answer to a gap past the outbox's retention. */
@Injectable()
export class CustomerSnapshots implements SnapshotSource {
  readonly aggregateType = 'customer';

  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: IntegrationEvents,
  ) {}

  /** Records the snapshot of a customer the caller read (and locked) in this transaction. */
  async write(manager: EntityManager, customer: CustomerEntity): Promise<void> {
    await this.events.record(manager, CustomerSnapshotEvent, {
      customerId: customer.id,
      name: customer.name,
      email: customer.email,
      balanceCents: customer.balanceCents,
      createdAt: customer.createdAt.toISOString(),
      sequences: await this.events.snapshotSequences(manager, this.aggregateType, customer.id),
    });
  }

  async record(manager: EntityManager, customerId: string): Promise<boolean> {
    const [customer] = await this.uow.findForUpdate(manager, CustomerEntity, { where: { id: customerId } });
    if (!customer) return false;
    await this.write(manager, customer);
    return true;
  }
}
