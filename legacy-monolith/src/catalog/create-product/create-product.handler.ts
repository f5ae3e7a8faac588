import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, isUniqueViolation } from '@app/database';
import { ProductSkuTakenError } from '../catalog.errors';
import { ProductEntity, foldForSearch } from '../product.entity';
import { ProductView, toProductView } from '../product.view';
import { CreateProductCommand } from './create-product.command';

@CommandHandler(CreateProductCommand)
export class CreateProductHandler implements ICommandHandler<CreateProductCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ product }: CreateProductCommand): Promise<ProductView> {
    const now = new Date();
    const entity: ProductEntity = {
      id: randomUUID(),
      ...product,
      nameFolded: foldForSearch(product.name),
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.uow.transaction((manager) => manager.insert(ProductEntity, entity));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProductSkuTakenError(product.sku);
      throw error;
    }
    return toProductView(entity);
  }
}
