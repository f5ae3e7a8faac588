import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApplyIntegrationEvents, IntegrationEventsHandler, ProductCreatedEvent } from '@app/integration-events';
import { InventoryError } from '../../inventory-errors';
import { ProductStockEntity } from '../product-stock.entity';

/** `product.created` (from the monolith or catalog): a stock record with the initial stock and the product's times. */
@Injectable()
@ApplyIntegrationEvents(ProductCreatedEvent)
export class ApplyProductCreatedHandler implements IntegrationEventsHandler<ProductCreatedEvent> {
  async handle({ data }: ProductCreatedEvent, manager: EntityManager): Promise<void> {
    if (await manager.exists(ProductStockEntity, { where: { productId: data.productId } })) {
      throw new InventoryError(
        'STOCK_EVENT_NOT_APPLICABLE',
        `${data.id}: product ${data.productId} exists here already; it cannot be created again (by ${data.origin}).`,
      );
    }
    await manager.insert(ProductStockEntity, {
      productId: data.productId,
      stock: data.stock,
      createdAt: new Date(data.createdAt),
      updatedAt: new Date(data.updatedAt),
    });
  }
}
