import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/database';
import { ProductNotFoundError, ProductView, toProductView } from '@app/shop-api';
import { ProductEntity } from '../product.entity';
import { GetProductQuery } from './get-product.query';

@QueryHandler(GetProductQuery)
export class GetProductHandler implements IQueryHandler<GetProductQuery> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ productId }: GetProductQuery): Promise<ProductView> {
    const product = await this.uow.read((manager) => manager.findOne(ProductEntity, { where: { id: productId } }));
    if (!product) throw new ProductNotFoundError([productId]);
    return toProductView(product);
  }
}
