import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { IntegrationEvents, type SnapshotSource, StockSnapshotEvent } from '@app/integration-events';
import { ProductStockEntity } from '../product-stock.entity';

/**
 * Inventory's answer to a consumer (the monolith, the catalog) whose gap in a product's stock
 * events reaches back past inventory's outbox retention: a `stock.snapshot` of the stock with
 * the sequences it reflects. Stock is the sum of every origin's deltas and inventory knows no
 * name or price, so the snapshot is of inventory's part only (scope `origin`): a consumer
 * applies it when it agrees with it on every other origin, and asks again until it does.
 */
@Injectable()
export class StockSnapshots implements SnapshotSource {
  readonly aggregateType = 'product';

  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: IntegrationEvents,
  ) {}

  async record(manager: EntityManager, productId: string): Promise<boolean> {
    const product = await this.uow.findOneForUpdate(manager, ProductStockEntity, { where: { productId } });
    if (!product) return false;
    await this.events.record(manager, StockSnapshotEvent, {
      productId,
      stock: product.stock,
      sequences: await this.events.snapshotSequences(manager, this.aggregateType, productId),
    });
    return true;
  }
}
