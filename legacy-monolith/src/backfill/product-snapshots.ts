import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { IntegrationEvents, ProductSnapshotEvent, type SnapshotSource } from '@app/integration-events';
import { ProductEntity } from '../catalog/product.entity';

/** `product.snapshot` events (with the stock): the backfill's, and the answer to a gap past the outbox's retention. */
@Injectable()
export class ProductSnapshots implements SnapshotSource {
  readonly aggregateType = 'product';

  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: IntegrationEvents,
  ) {}

  /** Records the snapshot of a product the caller read (and locked) in this transaction. */
  async write(manager: EntityManager, product: ProductEntity): Promise<void> {
    await this.events.record(manager, ProductSnapshotEvent, {
      productId: product.id,
      sku: product.sku,
      name: product.name,
      priceCents: product.priceCents,
      stock: product.stock,
      createdAt: product.createdAt.toISOString(),
      updatedAt: product.updatedAt.toISOString(),
      sequences: await this.events.snapshotSequences(manager, this.aggregateType, product.id),
    });
  }

  async record(manager: EntityManager, productId: string): Promise<boolean> {
    const [product] = await this.uow.findForUpdate(manager, ProductEntity, { where: { id: productId } });
    if (!product) return false;
    await this.write(manager, product);
    return true;
  }
}
