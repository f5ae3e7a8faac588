import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ProductNotFoundError } from '@app/shop-api';
import { ProductReads } from '../read-model/product-reads';
import { GetProductQuery } from './get-product.query';

/** The product's stored body, as it is. */
@QueryHandler(GetProductQuery)
export class GetProductHandler implements IQueryHandler<GetProductQuery> {
  constructor(private readonly reads: ProductReads) {}

  async execute({ productId }: GetProductQuery): Promise<string> {
    const body = await this.reads.byId(productId);
    if (body === undefined) throw new ProductNotFoundError([productId]);
    return body;
  }
}
