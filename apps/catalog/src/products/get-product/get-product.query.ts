import { Query } from '@nestjs/cqrs';
import { type ProductView } from '@app/shop-api';

export class GetProductQuery extends Query<ProductView> {
  constructor(readonly productId: string) {
    super();
  }
}
