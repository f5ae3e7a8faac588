import { Query } from '@nestjs/cqrs';
import type { Page } from '@app/api-conventions';
import { type ListProductsParams, type ProductView } from '@app/shop-api';

export class ListProductsQuery extends Query<Page<ProductView>> {
  constructor(readonly params: ListProductsParams) {
    super();
  }
}
