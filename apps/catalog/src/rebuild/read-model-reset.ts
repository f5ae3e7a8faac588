import { UnitOfWork } from '@app/database';
import { InboxMessageEntity, InboxSequenceEntity } from '@app/outbox';
import { ProductEntity } from '../products/product.entity';

/** Rows deleted by {@link resetReadModel}. */
export interface DeletedRows {
  readonly products: number;
  readonly inboxMessages: number;
  readonly inboxSequences: number;
}

/**
 * Empties the read model and the inbox state of `consumer` in one transaction, so every
 * event and snapshot applies again. The outbox (the catalog's own events and sequences) stays.
 */
export function resetReadModel(uow: UnitOfWork, consumer: string): Promise<DeletedRows> {
  return uow.transaction(async (manager) => {
    const products = await manager.createQueryBuilder().delete().from(ProductEntity).execute();
    const inboxMessages = await manager
      .createQueryBuilder()
      .delete()
      .from(InboxMessageEntity)
      .where('consumer = :consumer', { consumer })
      .execute();
    const inboxSequences = await manager
      .createQueryBuilder()
      .delete()
      .from(InboxSequenceEntity)
      .where('consumer = :consumer', { consumer })
      .execute();
    return {
      products: products.affected ?? 0,
      inboxMessages: inboxMessages.affected ?? 0,
      inboxSequences: inboxSequences.affected ?? 0,
    };
  });
}
