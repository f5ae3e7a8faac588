import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, isUniqueViolation } from '@app/database';
import { IntegrationEvents, ProductCreatedEvent } from '@app/integration-events';
import { ProductSkuTakenError } from '@app/shop-api';
import { ProductEntity } from '../product.entity';
import { productRow } from '../product-row';
import { CreateProductCommand } from './create-product.command';

/**
 * Adds a product to the read model and records `product.created` (origin `catalog`) in the
 * same transaction, with the timestamps stored; the monolith and inventory apply it. A SKU in
 * use is caught by the unique index, as in the monolith.
 */
@CommandHandler(CreateProductCommand)
export class CreateProductHandler implements ICommandHandler<CreateProductCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: IntegrationEvents,
  ) {}

  async execute({ product }: CreateProductCommand): Promise<string> {
    const now = new Date();
    const entity = productRow({ id: randomUUID(), ...product, createdAt: now, updatedAt: now });
    try {
      await this.uow.transaction(async (manager) => {
        await manager.insert(ProductEntity, entity);
        await this.events.record(
          manager,
          ProductCreatedEvent,
          {
            productId: entity.id,
            sku: entity.sku,
            name: entity.name,
            priceCents: entity.priceCents,
            stock: entity.stock,
            createdAt: now.toISOString(),
            updatedAt: now.toISOString(),
          },
          { occurredAt: now },
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProductSkuTakenError(product.sku);
      throw error;
    }
    return entity.view;
  }
}
